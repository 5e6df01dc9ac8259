"""The offline manifest of a kept course (courses/offline.py): only for a
seated participant, versioned by the pages' revisions, without unpublished
lessons, documents only when asked, sizes that add up."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.factories import course_lessons, make_course, make_enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(site):
    """A course of four lessons; the first shows an image and offers a
    document, the second links to another document in its text."""
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (1000, 600), (10, 90, 100)).save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title="diagram", file=ImageFile(io.BytesIO(buffer.getvalue()), name="d.png")
    )
    documents = get_document_model().objects
    plan = documents.create(
        title="Plan", file=ContentFile(b"%PDF-1.4 plan" * 50, name="plan.pdf")
    )
    guide = documents.create(
        title="Guide", file=ContentFile(b"%PDF-1.4 guide" * 20, name="guide.pdf")
    )
    course = make_course(title="Kept course")
    first, second = course_lessons(course)[:2]
    first.body = [
        ("rich_text", "<p>Intro.</p>"),
        ("image", {"image": image, "alt_text": "A diagram", "caption": ""}),
        ("document", {"document": plan, "title": "The plan", "description": ""}),
    ]
    first.save_revision().publish()
    second.body = [
        (
            "rich_text",
            f'<p>See <a linktype="document" id="{guide.pk}">the guide</a>.</p>',
        )
    ]
    second.save_revision().publish()
    course.plan, course.guide = plan, guide
    return course


def manifest_url(course, documents=False):
    url = reverse("course_offline_manifest", kwargs={"course_id": course.pk})
    return url + ("?documents=1" if documents else "")


@pytest.fixture
def seated(client, participant, course):
    make_enrolment(user=participant, course=course)
    client.force_login(participant)
    return client


def test_manifest_is_refused_to_visitors_outsiders_and_withdrawn(
    client, participant, outsider, course
):
    assert client.get(manifest_url(course)).status_code == 404
    client.force_login(outsider)
    assert client.get(manifest_url(course)).status_code == 404
    make_enrolment(user=participant, course=course, status="withdrawn")
    client.force_login(participant)
    assert client.get(manifest_url(course)).status_code == 404
    assert client.get("/en/courses/999999/offline/").status_code == 404


def test_manifest_lists_the_course_its_lessons_images_and_static_files(seated, course):
    body = seated.get(manifest_url(course)).json()
    urls = [entry["url"] for entry in body["entries"]]
    pages = [e["url"] for e in body["entries"] if e["kind"] == "page"]
    assert pages == [course.url] + [lesson.url for lesson in course_lessons(course)]
    images = [url for url in urls if "/images/" in url]
    assert len(images) == 2
    assert any(".width-360.format-webp" in url for url in images)
    assert any(".width-720.format-webp" in url for url in images)
    assert "/static/css/relais.css" in urls and "/static/js/keep.js" in urls
    assert "/static/js/sw.js" not in urls
    assert body["cache"] == f"relais-course-{course.pk}"


def test_images_listed_are_the_renditions_the_lesson_page_shows(seated, course):
    body = seated.get(manifest_url(course)).json()
    html = seated.get(course_lessons(course)[0].url).content.decode()
    for entry in body["entries"]:
        if entry["kind"] == "image":
            assert entry["url"] in html


def test_sizes_add_up_and_match_the_files(seated, course):
    body = seated.get(manifest_url(course, documents=True)).json()
    assert body["bytes"] == sum(entry["bytes"] for entry in body["entries"])
    assert all(entry["bytes"] > 0 for entry in body["entries"])
    plan = next(e for e in body["entries"] if e["url"] == course.plan.url)
    assert plan["bytes"] == course.plan.file.size
    lesson = course_lessons(course)[0]
    page = next(e for e in body["entries"] if e["url"] == lesson.url)
    served = len(seated.get(lesson.url).content)
    assert abs(page["bytes"] - served) < served * 0.2


def test_documents_only_when_asked(seated, course):
    without = seated.get(manifest_url(course)).json()
    assert not [e for e in without["entries"] if e["kind"] == "document"]
    with_docs = seated.get(manifest_url(course, documents=True)).json()
    documents = {e["url"] for e in with_docs["entries"] if e["kind"] == "document"}
    assert documents == {course.plan.url, course.guide.url}
    assert with_docs["bytes"] == without["bytes"] + without["documents_bytes"]
    assert with_docs["version"] == without["version"]


def test_publishing_an_edit_changes_the_version_and_the_lessons_revision(
    seated, course
):
    lesson = course_lessons(course)[2]
    before = seated.get(manifest_url(course)).json()
    lesson.body = [("rich_text", "<p>Rewritten.</p>")]
    lesson.save_revision().publish()
    after = seated.get(manifest_url(course)).json()
    assert after["version"] != before["version"]
    revs = {e["url"]: e["rev"] for e in before["entries"]}
    changed = [e["url"] for e in after["entries"] if revs.get(e["url"]) != e["rev"]]
    assert changed == [lesson.url]


def test_an_unpublished_lesson_leaves_the_manifest(seated, course):
    lesson = course_lessons(course)[3]
    before = seated.get(manifest_url(course)).json()
    lesson.unpublish()
    after = seated.get(manifest_url(course)).json()
    assert lesson.url in [e["url"] for e in before["entries"]]
    assert lesson.url not in [e["url"] for e in after["entries"]]
    assert after["version"] != before["version"]


def test_an_unchanged_manifest_answers_304_to_its_etag(seated, course):
    first = seated.get(manifest_url(course))
    again = seated.get(manifest_url(course), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert first["Cache-Control"] == "private, no-cache"


def test_course_page_shows_the_size_before_keeping(seated, course, participant):
    html = seated.get(course.url).content.decode()
    assert "Keep this course on my phone" in html
    assert f'data-keep-manifest="{manifest_url(course)}"' in html
    assert "Include the documents" in html


def test_course_page_offers_no_keeping_without_a_seat(client, outsider, course):
    client.force_login(outsider)
    assert "data-keep-manifest" not in client.get(course.url).content.decode()


def test_dashboard_has_the_kept_list_hidden_for_the_script(seated):
    html = seated.get(reverse("dashboard")).content.decode()
    assert "data-kept-list" in html and "Kept on this phone" in html


def test_a_lesson_fetched_to_keep_the_course_is_not_counted_as_read(
    seated, participant, course
):
    from enrolment.models import Enrolment

    lesson = course_lessons(course)[2]
    assert seated.get(lesson.url, HTTP_X_RELAIS_KEEP="1").status_code == 200
    enrolment = Enrolment.objects.get(user=participant, course=course)
    assert enrolment.last_lesson_id is None
    seated.get(lesson.url)
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == lesson.pk
