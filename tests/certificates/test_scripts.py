"""Names in any script on the PDF: each run of text in its script's font,
complex scripts shaped by HarfBuzz, right-to-left runs in visual order with
the first word rightmost, and no missing glyph."""

from __future__ import annotations

import io
import unicodedata

import pypdf
import pytest
import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr

from certificates.rendering import render_pdf
from certificates.rendering.fonts import ARABIC, CJK, DEVANAGARI, FONT_DIR, KHMER, LATIN
from certificates.rendering.text import layout

ARABIC_NAME = "محمد عبد الله الحسيني"
NAMES = {
    "arabic": (ARABIC_NAME, ARABIC),
    "devanagari": ("अनीता शर्मा", DEVANAGARI),
    "khmer": ("សុខ ចាន់ដារ៉ា", KHMER),
    "chinese": ("王小明", CJK),
    "japanese": ("山田 はなこ", CJK),
}


def render(name: str, language: str = "en") -> bytes:
    return render_pdf(
        facts={
            "kind": "course",
            "name": name,
            "course": "Integration of migrants",
            "hours": "6",
            "date": "2026-12-01",
            "signatory": "Amina Diallo",
        },
        code="RLX-AAAA-BBBB-CCCC-DDDD",
        language=language,
        verify_url="http://testserver/x/",
    )


def drawn_strings(content: bytes) -> list[tuple[str, float]]:
    """Each text operation's decoded string and the x it starts at."""
    found: list[tuple[str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((text, tm[4]))

    pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text(visitor_text=visit)
    return found


def name_string(content: bytes) -> str:
    arabic = [
        text
        for text, _x in drawn_strings(content)
        if any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in text)
    ]
    return max(arabic, key=len)


def test_the_arabic_name_is_drawn_with_joined_letters():
    drawn = name_string(render(ARABIC_NAME))
    forms = {unicodedata.name(ch, "") for ch in drawn if ch != " "}
    # Unshaped, the same letters would be their isolated code points
    # (U+06xx); shaped, joining letters take initial, medial and final forms
    # (only alef, which never joins the next letter, keeps its own).
    assert {ch for ch in drawn if "\u0600" <= ch <= "\u06ff"} <= {"ا"}
    assert any("INITIAL FORM" in form for form in forms)
    assert any("MEDIAL FORM" in form for form in forms)
    assert any("FINAL FORM" in form for form in forms)
    # The same letters apart are drawn with their isolated glyphs, which the
    # font maps to the letters' own code points.
    apart = layout("م ح م د")
    assert {ch for run in apart.runs for ch in run.glyphs} == set("محد ")


def glyph_positions(text: str) -> list[tuple[float, int]]:
    """The x of each glyph drawn for `text` (size 1000) and the index of the
    logical character it comes from (HarfBuzz's cluster)."""
    positions = []
    left = 0.0
    for run in layout(text).runs:
        start = text.index(run.text)
        if isinstance(run.glyphs, ShapedStr):
            for data in run.glyphs.__shapeData__:
                positions.append((left, start + data.cluster))
                left += data.x_advance
        else:
            for offset in range(len(run.glyphs)):
                positions.append((left, start + offset))
                left += run.width(1000) / len(run.glyphs)
    return positions


def test_the_first_word_of_an_arabic_name_is_drawn_rightmost():
    positions = glyph_positions(ARABIC_NAME)
    first_word = range(0, ARABIC_NAME.index(" "))
    last_word = range(ARABIC_NAME.rindex(" ") + 1, len(ARABIC_NAME))
    first = [x for x, cluster in positions if cluster in first_word]
    last = [x for x, cluster in positions if cluster in last_word]
    others = [x for x, cluster in positions if cluster not in first_word]
    assert min(first) > max(others)  # the first word, rightmost
    assert max(last) < min(x for x, c in positions if c not in last_word)
    # Within the word too: its first letter is its rightmost glyph.
    assert max(positions)[1] == 0


def test_the_pdf_draws_the_arabic_name_as_the_layout_says():
    content = render(ARABIC_NAME)
    shaped = "".join(run.glyphs for run in layout(ARABIC_NAME).runs)
    # pypdf gives each text operation back reordered for reading; the set of
    # glyphs is the shaped one.
    assert sorted(name_string(content).strip()) == sorted(
        unicodedata.normalize("NFC", ch) for ch in shaped
    )


def test_the_arabic_name_reads_back_in_logical_order():
    text = pypdf.PdfReader(io.BytesIO(render(ARABIC_NAME))).pages[0].extract_text()
    assert ARABIC_NAME in unicodedata.normalize("NFKC", text)


def test_a_name_mixing_scripts_takes_each_scripts_font():
    line = layout("José 王 محمد")
    faces = [run.face for run in line.runs]
    assert faces[0] is LATIN and CJK in faces and ARABIC in faces
    assert "".join(run.text for run in line.runs).replace(" ", "") == "José王محمد"


@pytest.mark.parametrize("script", list(NAMES))
def test_every_character_has_a_glyph_in_its_font(script):
    name, face = NAMES[script]
    line = layout(name)
    assert {run.face for run in line.runs if run.text.strip()} == {face}
    for run in line.runs:
        cmap = pdfmetrics.getFont(run.face.name).face.charToGlyph
        assert all(cmap.get(ord(ch)) for ch in run.text), run.text


@pytest.mark.parametrize("script", list(NAMES))
def test_harfbuzz_shapes_the_name_without_notdef(script):
    name, face = NAMES[script]
    blob = uharfbuzz.Blob.from_file_path(str(FONT_DIR / face.file))
    font = uharfbuzz.Font(uharfbuzz.Face(blob))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(name)
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer, {})
    assert all(info.codepoint != 0 for info in buffer.glyph_infos)


@pytest.mark.parametrize("script", list(NAMES))
def test_the_pdf_embeds_the_scripts_font(script):
    name, face = NAMES[script]
    page = pypdf.PdfReader(io.BytesIO(render(name))).pages[0]
    fonts = page["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert any(face.name in base for base in names)


def test_an_arabic_certificate_is_laid_out_right_to_left():
    strings = drawn_strings(render("Alice Mbeki", language="ar"))
    code = next(x for text, x in strings if text.startswith("RLX-"))
    signatory = next(x for text, x in strings if text.strip() == "Amina Diallo")
    # Mirrored: the code (beside the QR code) on the left, the signatory on
    # the right half of the page.
    assert code < 842 / 2 < signatory
    english = pypdf.PdfReader(io.BytesIO(render("Alice Mbeki"))).pages[0]
    x_of = {}

    def visit(text, cm, tm, font_dict, font_size):
        x_of.setdefault(text.strip(), tm[4])

    english.extract_text(visitor_text=visit)
    assert x_of["Amina Diallo"] < 842 / 2 < x_of["RLX-AAAA-BBBB-CCCC-DDDD"]
