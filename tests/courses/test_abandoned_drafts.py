"""Drafts left behind in the page tree (issue 18, item 13): Wagtail 8
autosaves a new page once it has a title, so an editor who leaves leaves a
draft. Re-creating the page under the same title is explained beside the
title, and "Translate this page" with its subtree leaves such drafts out."""

from __future__ import annotations

from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from courses.models import CoursePage, LessonPage, ModulePage
from tests.factories import course_lessons, make_course


def _lesson_form(title: str, slug: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "estimated_minutes": 15,
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def _module(course) -> ModulePage:
    return course_lessons(course)[0].get_parent().specific


def test_a_title_taken_by_an_abandoned_draft_is_explained_at_the_title(
    client, admin_user, site
):
    module = _module(make_course(modules=1, lessons_per_module=1))
    client.force_login(admin_user)
    add_url = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk]
    )
    # The first attempt, saved as a draft (what autosave does) and left.
    response = client.post(add_url, _lesson_form("Welcome", "welcome"))
    assert response.status_code == 302
    draft = LessonPage.objects.child_of(module).get(slug="welcome")
    assert not draft.live

    response = client.post(add_url, _lesson_form("Welcome", "welcome"))

    assert response.status_code == 200
    form = response.context["form"]
    [message] = form.errors["title"]
    assert "“Welcome”, a draft never published" in message
    assert "under “Module 1”" in message
    assert "slug" in form.errors  # Wagtail's own message stays on its field
    assert LessonPage.objects.child_of(module).count() == 2  # nothing added


def test_a_title_taken_by_a_published_page_says_so(client, admin_user, site):
    module = _module(make_course(modules=1, lessons_per_module=1))
    taken = LessonPage.objects.child_of(module).get()
    client.force_login(admin_user)
    add_url = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk]
    )
    response = client.post(add_url, _lesson_form("Again", taken.slug))
    assert response.status_code == 200
    [message] = response.context["form"].errors["title"]
    assert f"“{taken.title}” already has this address" in message
    assert "never published" not in message


def test_another_title_saves_as_before(client, admin_user, site):
    module = _module(make_course(modules=1, lessons_per_module=1))
    client.force_login(admin_user)
    add_url = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk]
    )
    response = client.post(add_url, _lesson_form("Something new", "something-new"))
    assert response.status_code == 302
    assert LessonPage.objects.child_of(module).filter(slug="something-new").exists()


def _draft_lesson(module, title: str) -> LessonPage:
    lesson = LessonPage(title=title, slug=title.lower(), live=False)
    module.add_child(instance=lesson)
    lesson.save_revision()
    return lesson


def _draft_module(course, title: str) -> ModulePage:
    module = ModulePage(title=title, slug=title.lower(), live=False)
    course.add_child(instance=module)
    module.save_revision()
    return module


def _submit(client, course, language: str, include_subtree: bool):
    locale = Locale.objects.get(language_code=language)
    url = reverse("wagtail_localize:submit_page_translation", args=[course.pk])
    data: dict[str, object] = {"locales": [locale.pk]}
    if include_subtree:
        data["include_subtree"] = "on"
    return client.post(url, data), locale


def test_translate_with_subtree_leaves_the_unpublished_drafts_out(
    client, admin_user, site, django_capture_on_commit_callbacks
):
    course = make_course(title="Border management", modules=1, lessons_per_module=2)
    module = _module(course)
    _draft_lesson(module, "Abandoned")
    empty_module = _draft_module(course, "Started")
    _draft_lesson(empty_module, "Below")
    client.force_login(admin_user)

    form_page = client.get(
        reverse("wagtail_localize:submit_page_translation", args=[course.pk])
    )
    body = form_page.content.decode()
    assert "Include the published pages below (3 pages)" in body
    assert "3 drafts never published stay out" in body

    with django_capture_on_commit_callbacks(execute=True):
        response, fr = _submit(client, course, "fr", include_subtree=True)
    assert response.status_code == 302

    translated = {
        page.translation_key
        for page in Page.objects.filter(locale=fr, alias_of__isnull=True)
    }
    sources = Page.objects.descendant_of(course, inclusive=True)
    published = {p.translation_key for p in sources if p.first_published_at}
    drafts = {p.translation_key for p in sources if not p.first_published_at}
    assert published <= translated  # course, module and both lessons
    assert not drafts & translated
    assert CoursePage.objects.filter(locale=fr).count() == 1


def test_a_draft_course_itself_is_still_translated(client, admin_user, site):
    course = make_course(title="Not yet out", modules=1, lessons_per_module=1)
    course.unpublish()
    client.force_login(admin_user)
    response, fr = _submit(client, course, "fr", include_subtree=False)
    assert response.status_code == 302
    assert CoursePage.objects.filter(
        locale=fr, translation_key=course.translation_key, alias_of__isnull=True
    ).exists()


def test_an_outsider_cannot_submit_a_translation(client, participant, site):
    course = make_course(modules=1, lessons_per_module=1)
    client.force_login(participant)
    response, fr = _submit(client, course, "fr", include_subtree=True)
    assert response.status_code in {302, 403}
    assert not CoursePage.objects.filter(locale=fr, alias_of__isnull=True).exists()
