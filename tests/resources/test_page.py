import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Locale

from resources.models import ResourceDocument
from tests.factories import course_lessons, make_course, make_resource, resource_index

pytestmark = pytest.mark.django_db


def _url(page) -> str:
    return page.get_url()


def test_a_case_study_shows_its_facts_and_sections(client, site, themes):
    page = make_resource(
        title="Integration plan",
        kind="case_study",
        country=["CR"],
        region="latin_america_caribbean",
        start_year=2018,
        end_year=2022,
        partner_institutions="Migration authority\nCivil society",
        themes=[themes["integration"]],
        challenge="<p>Scattered services.</p>",
        results="<p>A plan adopted.</p>",
    )
    response = client.get(_url(page))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Integration plan",
        "Costa Rica",
        "Latin America and the Caribbean",
        "2018–2022",
        "Civil society",
        "Integration",
        "The challenge",
        "Scattered services.",
        "A plan adopted.",
    ]:
        assert text in html, text
    assert "The practice" not in html


def test_a_knowledge_sheet_shows_its_own_sections(client, site):
    page = make_resource(
        title="Diaspora", kind="knowledge_sheet", origin="<p>From Moldova.</p>"
    )
    html = client.get(_url(page)).content.decode()
    assert "Where it comes from" in html and "From Moldova." in html
    assert "The challenge" not in html


def test_attached_documents_are_listed_with_format_and_size(client, site):
    page = make_resource(title="With a PDF")
    document = get_document_model()(title="Summary sheet")
    document.file.save("summary.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 2048))
    document.file_size = 2057
    document.save()
    ResourceDocument.objects.create(page=page, document=document, sort_order=0)
    html = client.get(_url(page)).content.decode()
    assert "Summary sheet" in html
    assert "PDF" in html and "2.0\xa0KB" in html
    assert document.url in html


def test_an_unpublished_resource_is_not_found(client, site):
    page = make_resource(title="Draft", live=False)
    assert client.get(f"/en/resources/{page.slug}/").status_code == 404


def test_the_french_translation_renders_in_french(client, site):
    page = make_resource(title="Victim protection", kind="case_study")
    resource_index("fr")
    translation = page.copy_for_translation(Locale.objects.get(language_code="fr"))
    translation.title = "Protection des victimes"
    translation.challenge = "<p>Des lacunes dans la loi.</p>"
    translation.save_revision().publish()
    response = client.get(translation.get_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr" dir="ltr">' in html
    assert "Protection des victimes" in html and "Des lacunes dans la loi." in html


def _cite_in_lesson(lesson, resource):
    from courses.blocks import LessonStreamBlock

    if "related_resources" in LessonStreamBlock.base_blocks:
        lesson.body = [
            ("rich_text", "<p>Read more.</p>"),
            ("related_resources", {"heading": "", "resources": [resource]}),
        ]
    else:  # before the lessons' block exists, any page link is a reference
        lesson.body = [
            (
                "rich_text",
                f'<p>See <a linktype="page" id="{resource.pk}">the case</a>.</p>',
            )
        ]
    lesson.save_revision().publish()


def test_a_lesson_citing_a_resource_puts_its_course_under_cited_in(client, site):
    resource = make_resource(title="Integration plan")
    course = make_course(title="Holistic integration", modules=1, lessons_per_module=2)
    lesson = course_lessons(course)[1]
    _cite_in_lesson(lesson, resource)
    html = client.get(_url(resource)).content.decode()
    assert "Cited in these courses" in html
    assert "Holistic integration" in html
    assert lesson.title in html
    assert "No course cites this resource yet." not in html


def test_a_rich_text_link_from_a_lesson_also_counts_as_a_citation(client, site):
    resource = make_resource(title="Integration plan")
    course = make_course(title="Border course", modules=1, lessons_per_module=1)
    lesson = course_lessons(course)[0]
    lesson.body = [
        ("rich_text", f'<p>See <a linktype="page" id="{resource.pk}">it</a>.</p>')
    ]
    lesson.save_revision().publish()
    assert "Border course" in client.get(_url(resource)).content.decode()


def test_a_resource_nobody_cites_says_so(client, site):
    resource = make_resource(title="Lonely")
    make_course(title="Unrelated course", modules=1, lessons_per_module=1)
    html = client.get(_url(resource)).content.decode()
    assert "No course cites this resource yet." in html
    assert "Unrelated course" not in html


def test_an_unpublished_course_is_not_listed_as_citing(client, site):
    resource = make_resource(title="Integration plan")
    course = make_course(title="Hidden course", modules=1, lessons_per_module=1)
    _cite_in_lesson(course_lessons(course)[0], resource)
    course.unpublish()
    assert "Hidden course" not in client.get(_url(resource)).content.decode()


def test_the_french_resource_lists_courses_citing_its_english_original(client, site):
    resource = make_resource(title="Integration plan")
    resource_index("fr")
    translation = resource.copy_for_translation(Locale.objects.get(language_code="fr"))
    translation.save_revision().publish()
    course = make_course(title="Holistic integration", modules=1, lessons_per_module=1)
    _cite_in_lesson(course_lessons(course)[0], resource)
    assert "Holistic integration" in client.get(translation.get_url()).content.decode()
