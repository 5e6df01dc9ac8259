"""The fonts a certificate is drawn with, one per script, and which one
draws a given character.

DejaVu Sans draws Latin (with diacritics and combining marks), Greek and
Cyrillic, and every label of the left-to-right languages; Noto Sans Arabic,
Noto Sans Devanagari and Noto Sans Khmer draw their scripts (HarfBuzz shapes
them, see text.py); Droid Sans Fallback draws Chinese, Japanese and Korean.
All are TrueType-outline fonts (ReportLab's TTFont cannot embed CFF), in
certificates/fonts/ with their licences. Each is registered with ReportLab
the first time a certificate needs it, once per process (the CJK font's
4 MB are parsed only by a worker that draws a CJK name), and ReportLab
embeds only the glyphs a PDF draws."""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"


@dataclass(frozen=True)
class Face:
    name: str  # the name registered with ReportLab
    file: str  # in FONT_DIR
    shaped: bool  # drawn through HarfBuzz (joining, reordering, marks)


LATIN = Face("DejaVuSans", "DejaVuSans.ttf", shaped=False)
ARABIC = Face("NotoSansArabic", "NotoSansArabic-Regular.ttf", shaped=True)
DEVANAGARI = Face("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", shaped=True)
KHMER = Face("NotoSansKhmer", "NotoSansKhmer-Regular.ttf", shaped=True)
CJK = Face("DroidSansFallback", "DroidSansFallbackFull.ttf", shaped=False)
FACES = (LATIN, ARABIC, DEVANAGARI, KHMER, CJK)

# The script fonts by code point range (Unicode blocks). A character of one
# of these blocks is drawn in its script's font even where DejaVu Sans has a
# glyph for it (DejaVu's Arabic letters do not join).
RANGES: tuple[tuple[int, int, Face], ...] = (
    (0x0600, 0x06FF, ARABIC),
    (0x0750, 0x077F, ARABIC),
    (0x0870, 0x08FF, ARABIC),
    (0xFB50, 0xFDFF, ARABIC),
    (0xFE70, 0xFEFF, ARABIC),
    (0x0900, 0x097F, DEVANAGARI),
    (0xA8E0, 0xA8FF, DEVANAGARI),
    (0x1780, 0x17FF, KHMER),
    (0x19E0, 0x19FF, KHMER),
    (0x1100, 0x11FF, CJK),  # Hangul Jamo
    (0x2E80, 0x2FDF, CJK),  # CJK radicals
    (0x3000, 0x303F, CJK),  # CJK symbols and punctuation
    (0x3040, 0x30FF, CJK),  # Hiragana, Katakana
    (0x3100, 0x31FF, CJK),  # Bopomofo, Hangul compatibility Jamo, Kana ext.
    (0x3200, 0x33FF, CJK),
    (0x3400, 0x4DBF, CJK),  # CJK extension A
    (0x4E00, 0x9FFF, CJK),  # CJK unified ideographs
    (0xAC00, 0xD7AF, CJK),  # Hangul syllables
    (0xF900, 0xFAFF, CJK),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF, CJK),  # full-width forms
)

_lock = threading.Lock()
_registered: dict[str, TTFont] = {}


def font(face: Face) -> TTFont:
    """The ReportLab font of `face`, registered on first use."""
    registered = _registered.get(face.name)
    if registered is None:
        with _lock:
            registered = _registered.get(face.name)
            if registered is None:
                registered = TTFont(face.name, str(FONT_DIR / face.file))
                pdfmetrics.registerFont(registered)
                _registered[face.name] = registered
    return registered


def covers(face: Face, char: str) -> bool:
    return ord(char) in font(face).face.charToGlyph


def script_face(char: str) -> Face | None:
    """The script font that must draw `char`, or None for characters any
    font may draw (Latin, Cyrillic, digits, spaces, punctuation, marks)."""
    point = ord(char)
    if point < 0x0600:
        return None
    for start, end, face in RANGES:
        if start <= point <= end:
            return face
    return None


def is_mark(char: str) -> bool:
    """A combining mark or a joiner: drawn with the letter before it."""
    return unicodedata.category(char) in {"Mn", "Mc", "Me", "Cf"}


def faces_for(text: str) -> list[Face]:
    """The font of each character of `text`: its script's font; else, for
    a mark, a space, a digit or punctuation, the font of the character
    before it if that font has it (so that "عبد الله" or "4 مارس" stay in
    one run); else DejaVu Sans, else any font that has it."""
    result: list[Face] = []
    previous: Face | None = None
    for char in text:
        face = script_face(char)
        if (
            face is None
            and previous is not None
            and (is_mark(char) or previous is not LATIN)
            and not unicodedata.category(char).startswith("L")
            and covers(previous, char)
        ):
            face = previous
        if face is None:
            face = LATIN if covers(LATIN, char) else _any_face(char)
        result.append(face)
        previous = face
    return result


def _any_face(char: str) -> Face:
    for face in FACES:
        if covers(face, char):
            return face
    return LATIN  # nothing has it: DejaVu's .notdef box, as any reader would
