import io
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.embeds.exceptions import EmbedException
from wagtail.images import get_image_model

from courses.blocks import LessonStreamBlock
from tests.factories import quiz_block_value

BLOCKS = (
    LessonStreamBlock.base_blocks if hasattr(LessonStreamBlock, "base_blocks") else None
)


def render(name, value):
    block = LessonStreamBlock().child_blocks[name]
    return block.render(block.to_python(value) if isinstance(value, dict) else value)


@pytest.fixture
def image(db):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (1000, 600), (10, 90, 100)).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title="diagram", file=ImageFile(io.BytesIO(buffer.getvalue()), name="d.png")
    )


def test_rich_text_block_renders_its_html(db):
    assert "<p>Hello</p>" in render(
        "rich_text",
        LessonStreamBlock().child_blocks["rich_text"].to_python("<p>Hello</p>"),
    )


def test_heading_block_renders_the_chosen_level(db):
    assert "<h3" in render("heading", {"text": "Sub", "level": "h3"})
    assert "<h2" in render("heading", {"text": "Top", "level": "h2"})


def test_callout_block_renders_title_and_text(db):
    html = render(
        "callout", {"kind": "warning", "title": "", "text": "<p>Mind this.</p>"}
    )
    assert (
        'class="callout warning"' in html and "Caution" in html and "Mind this." in html
    )


def test_image_block_renders_a_srcset_and_the_blocks_alt_text(image):
    html = render(
        "image", {"image": image.pk, "alt_text": "A blue diagram", "caption": "Fig. 1"}
    )
    assert 'alt="A blue diagram"' in html and "srcset=" in html
    assert "360w" in html and "720w" in html and "1080w" not in html  # 1000 px
    assert html.count(".webp") >= 3 and 'loading="lazy"' in html
    assert 'width="' in html and 'height="' in html and "Fig. 1" in html


def test_image_block_in_save_data_mode_shows_alt_text_and_a_link(image):
    block = LessonStreamBlock().child_blocks["image"]
    value = block.to_python(
        {"image": image.pk, "alt_text": "A blue diagram", "caption": ""}
    )
    html = block.render(value, context={"save_data": True})
    assert "<img" not in html and "srcset" not in html
    assert "A blue diagram" in html and ".webp" in html and "<a href=" in html


def test_document_block_links_to_the_file(db):
    document = get_document_model().objects.create(
        title="Plan", file=ContentFile(b"%PDF-1.4 demo", name="plan.pdf")
    )
    html = render(
        "document",
        {
            "document": document.pk,
            "title": "Download the plan",
            "description": "12 pages",
        },
    )
    assert document.url in html and "Download the plan" in html and "PDF" in html


def test_video_block_renders_embed_and_transcript(db):
    with mock.patch(
        "wagtail.embeds.format.embeds.get_embed", side_effect=EmbedException("offline")
    ):
        html = render(
            "video",
            {
                "video": "https://www.youtube.com/watch?v=x",
                "title": "Talk",
                "transcript": "<p>Words said.</p>",
            },
        )
    assert "Words said." in html and "https://www.youtube.com/watch?v=x" in html


def test_video_block_is_a_link_that_loads_nothing_from_the_provider(db):
    with mock.patch("wagtail.embeds.embeds.get_embed", autospec=True) as get_embed:
        html = render(
            "video",
            {
                "video": "https://www.youtube.com/watch?v=x",
                "title": "Talk",
                "transcript": "<p>Words said.</p>",
            },
        )
    get_embed.assert_not_called()
    assert "<iframe" not in html and "<script" not in html
    assert "Talk" in html and "youtube.com" in html


def test_quiz_block_preview_shows_questions_but_no_answer_key(db):
    value = quiz_block_value()
    html = render("quiz", value)
    assert "Who leads a national integration plan?" in html
    assert "Yes: ownership is national." not in html
    assert "correct" not in html.lower()


def test_related_resources_block_lists_title_kind_and_summary(site):
    from tests.factories import make_resource

    pages = [
        make_resource(title=f"Case {n}", slug=f"case-{n}", summary=f"Summary {n}")
        for n in range(3)
    ]
    block = LessonStreamBlock().child_blocks["related_resources"]
    value = block.to_python({"heading": "", "resources": [p.pk for p in pages]})
    html = block.render(value)
    for n in range(3):
        assert f"Case {n}" in html and f"Summary {n}" in html
    assert "Case study" in html and "Related resources" in html
