"""A line of text in any script, laid out for ReportLab's canvas.

A line is cut into runs of one font and one direction (fonts.faces_for
chooses the font of each character), put in visual order by the Unicode
bidi algorithm (python-bidi), and each run of a complex script (Arabic,
Devanagari, Khmer) is shaped by HarfBuzz through ReportLab's own shaping
(`shapeFragWord`, uharfbuzz), which joins Arabic letters, reorders Indic
vowel signs and places marks, and returns the glyphs in visual order.
Other runs are drawn as plain strings (right-to-left ones reversed and
mirrored by the bidi algorithm).

A line that holds a shaped or right-to-left run is drawn inside a marked
content span whose ActualText is the line in logical order, for the
extractors that read it (Acrobat); see docs/certificates.md for what
others return."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bidi import algorithm
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeFragWord
from reportlab.pdfgen.canvas import Canvas

from .fonts import Face, faces_for, font

# OpenType features asked of HarfBuzz besides the required ones (joining
# forms, required ligatures, mark positioning): kerning and standard
# ligatures, not discretionary ones (Noto Sans Arabic would draw the name
# محمد as a single decorative ligature).
FEATURES = {"kern": True, "liga": True, "dlig": False}


@dataclass(frozen=True)
class Run:
    text: str  # logical order
    face: Face
    glyphs: str  # what is drawn, visual order (a ShapedStr once shaped)
    rtl: bool

    def width(self, size: float) -> float:
        if isinstance(self.glyphs, ShapedStr):
            return sum(data.x_advance for data in self.glyphs.__shapeData__) * (
                size / 1000
            )
        return pdfmetrics.stringWidth(self.glyphs, self.face.name, size)


@dataclass(frozen=True)
class Line:
    text: str
    runs: tuple[Run, ...]  # visual order, left to right
    rtl: bool  # the paragraph's direction

    def width(self, size: float) -> float:
        return sum(run.width(size) for run in self.runs)

    @property
    def needs_actual_text(self) -> bool:
        return any(run.rtl or run.face.shaped for run in self.runs)


def _is_rtl_char(char: str) -> bool:
    return "\u0590" <= char <= "\u08ff" or "\ufb1d" <= char <= "\ufefc"


def _visual_order(text: str, base: str | None) -> tuple[list[int], list[int], str]:
    """The bidi algorithm's visual order of `text` as logical indices, the
    level of each character (logical order), and the characters mirrored
    where they read right to left (visual order)."""
    storage = algorithm.get_empty_storage()
    level = algorithm.get_base_level(text) if base is None else int(base == "R")
    storage["base_level"] = level
    storage["base_dir"] = ("L", "R")[level]
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    levels = [0] * len(text)
    for char in storage["chars"]:
        levels[char["index"]] = char["level"]
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    order = [char["index"] for char in storage["chars"]]
    return order, levels, "".join(char["ch"] for char in storage["chars"])


def _shape(text: str, face: Face) -> str:
    """HarfBuzz's glyphs for a run of one complex script (visual order)."""
    size = 1000  # widths scale linearly; shape once for every size
    word = [
        pdfmetrics.stringWidth(text, face.name, size),
        (ABag(fontName=face.name, fontSize=size), text),
    ]
    shaped = shapeFragWord(word, features=FEATURES, force=True)
    return shaped[1][1]


@lru_cache(maxsize=512)
def layout(text: str, base: str | None = None) -> Line:
    """`text` as runs in visual order. `base` forces the paragraph direction
    ("L" or "R"); by default it is the first strong character's."""
    faces = faces_for(text)
    for face in set(faces):
        font(face)
    if not any(_is_rtl_char(char) for char in text) and base != "R":
        order = list(range(len(text)))
        levels = [0] * len(text)
        visual = text
        rtl = False
    else:
        order, levels, visual = _visual_order(text, base)
        rtl = (algorithm.get_base_level(text) if base is None else base == "R") == 1
    runs: list[Run] = []
    start = 0
    while start < len(order):
        first = order[start]
        end = start + 1
        while end < len(order):
            index, before = order[end], order[end - 1]
            step = -1 if levels[first] % 2 else 1
            if (
                index != before + step
                or levels[index] != levels[first]
                or faces[index] is not faces[first]
            ):
                break
            end += 1
        indices = order[start:end]
        face, run_rtl = faces[first], levels[first] % 2 == 1
        logical = text[min(indices) : max(indices) + 1]
        glyphs = _shape(logical, face) if face.shaped else visual[start:end]
        runs.append(Run(text=logical, face=face, glyphs=glyphs, rtl=run_rtl))
        start = end
    return Line(text=text, runs=tuple(runs), rtl=rtl)


def fit(line: Line, size: float, width: float, minimum: float = 8.0) -> float:
    """The largest font size <= size at which the line fits in width."""
    measured = line.width(size)
    if measured <= width or measured == 0:
        return size
    return max(minimum, size * width / measured)


def _utf16_hex(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def draw(
    c: Canvas,
    x: float,
    y: float,
    line: Line,
    size: float,
    *,
    align: str = "left",
    mode: int | None = None,
) -> None:
    """Draw the line at size with its left end, centre or right end at x."""
    width = line.width(size)
    left = {"left": x, "centre": x - width / 2, "right": x - width}[align]
    if line.needs_actual_text:
        c.addLiteral(f"/Span <</ActualText {_utf16_hex(line.text)}>> BDC")
    for run in line.runs:
        c.setFont(run.face.name, size)
        c.drawString(left, y, run.glyphs, mode=mode)
        left += run.width(size)
    if line.needs_actual_text:
        c.addLiteral("EMC")
