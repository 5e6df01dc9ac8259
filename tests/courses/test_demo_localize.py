"""demo.localize on a small course: the wagtail-localize path the demo
takes for its flagship courses, fast enough to run on every change."""

import pytest
from wagtail.models import Locale, Page, Revision

from demo.localize import MissingDemoText, missing_segments, translate_tree
from tests.factories import make_course


class Prefixed(dict):
    """Every string translated as "FR " + the English text."""

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return f"FR {key}"


@pytest.fixture
def fr(site):
    return Locale.objects.get(language_code="fr")


def test_the_tree_is_translated_live_and_answers(site, fr, client, admin_user):
    course = make_course(modules=2, lessons_per_module=2)
    created = translate_tree(course, fr, Prefixed())
    assert len(created) == 7  # course, 2 modules, 4 lessons
    client.force_login(admin_user)
    for page in [course, *course.get_descendants()]:
        assert missing_segments(page, fr) == 0
        translated = page.get_translation(fr)
        assert translated.title == f"FR {page.title}"
        assert translated.live
        # The tree is whole: the 404 of issue 17 came from numchild = 0.
        assert Page.objects.get(pk=translated.pk).numchild == page.numchild
        assert client.get(translated.url).status_code == 200, translated.url


def test_a_second_run_changes_nothing(site, fr):
    course = make_course(modules=1, lessons_per_module=1)
    translate_tree(course, fr, Prefixed())
    before = (Page.objects.count(), Revision.objects.count())
    assert translate_tree(course, fr, Prefixed()) == []
    assert (Page.objects.count(), Revision.objects.count()) == before


def test_a_missing_text_stops_the_load_and_names_it(site, fr):
    course = make_course(title="Untranslated course", modules=1)
    with pytest.raises(MissingDemoText, match="Untranslated course"):
        translate_tree(course, fr, {})
    assert not course.has_translation(fr)


def test_kept_strings_stay_as_they_are(site, fr):
    course = make_course(modules=1, lessons_per_module=1)
    everything = {}
    for page in [course, *course.get_descendants().specific()]:
        everything.update(
            {page.title: f"FR {page.title}", getattr(page, "summary", ""): "FR"}
        )
    keep = {"Dr. A. Example", "Programme Director"}
    everything.update(
        {
            "has successfully completed the course": "a suivi le cours",
            "Lesson 1.1 text.": "Texte de la leçon 1.1.",
        }
    )
    translate_tree(course, fr, everything, keep=frozenset(keep))
    translated = course.get_translation(fr).specific
    assert translated.certificate_signatory == "Dr. A. Example"
    assert translated.slug == course.slug
