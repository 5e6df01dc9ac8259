"""The certificate PDF: A4 landscape, drawn with ReportLab's canvas.

Every value printed comes from the frozen facts. Names and other user text
are drawn with drawString/drawCentredString, never parsed as markup, so a
name like `<img src=...>` prints as those characters and fetches nothing.

The font is DejaVu Sans (Bitstream Vera licence, see certificates/fonts/),
embedded so that Latin with diacritics, combining marks and Cyrillic render
on any reader; strong text is the same font drawn with fill and stroke. The
QR code is drawn as vector rectangles, with a fixed mask (choosing the best
mask costs ~7 ms per code, for no gain a phone camera would notice).

Which function renders is a setting, RELAIS_CERTIFICATE_RENDERER (a dotted
path, default `certificates.rendering.render_pdf`), so that tests can slow
or hold a worker's renders without any test code in here."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import segno
from django.utils import formats, translation
from django_countries import countries
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
PAGE = landscape(A4)
INK = HexColor("#1d2b36")
ACCENT = HexColor("#0b6e4f")
MUTED = HexColor("#55636e")

# The few labels printed on the PDF, per language. Kept here rather than in
# gettext so that a worker renders any language without activating it.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "course": "Certificate of completion",
        "attendance": "Certificate of attendance",
        "certifies": "This is to certify that",
        "wording": "has successfully completed the course",
        "attended": "attended the training session",
        "hours": "Hours",
        "date": "Date",
        "cohort": "Cohort",
        "country": "Country",
        "place": "Place",
        "trained_by": "Trained by {trainer}, certified trainer of {course}",
        "code": "Certificate code",
        "verify": "Verify at",
    },
    "fr": {
        "course": "Certificat de réussite",
        "attendance": "Attestation de participation",
        "certifies": "Nous certifions que",
        "wording": "a suivi avec succès le cours",
        "attended": "a participé à la session de formation",
        "hours": "Heures",
        "date": "Date",
        "cohort": "Promotion",
        "country": "Pays",
        "place": "Lieu",
        "trained_by": "Formé·e par {trainer}, formateur·rice certifié·e de {course}",
        "code": "Code du certificat",
        "verify": "Vérifier sur",
    },
    "es": {
        "course": "Certificado de finalización",
        "attendance": "Certificado de asistencia",
        "certifies": "Se certifica que",
        "wording": "ha completado con éxito el curso",
        "attended": "asistió a la sesión de formación",
        "hours": "Horas",
        "date": "Fecha",
        "cohort": "Cohorte",
        "country": "País",
        "place": "Lugar",
        "trained_by": "Formado/a por {trainer}, formador/a certificado/a de {course}",
        "code": "Código del certificado",
        "verify": "Verificar en",
    },
    "pt": {
        "course": "Certificado de conclusão",
        "attendance": "Certificado de participação",
        "certifies": "Certificamos que",
        "wording": "concluiu com êxito o curso",
        "attended": "participou da sessão de formação",
        "hours": "Horas",
        "date": "Data",
        "cohort": "Turma",
        "country": "País",
        "place": "Local",
        "trained_by": "Formado/a por {trainer}, formador/a certificado/a de {course}",
        "code": "Código do certificado",
        "verify": "Verificar em",
    },
    "ru": {
        "course": "Сертификат об окончании курса",
        "attendance": "Сертификат об участии",
        "certifies": "Настоящим удостоверяется, что",
        "wording": "успешно завершил(а) курс",
        "attended": "принял(а) участие в учебной сессии",
        "hours": "Часы",
        "date": "Дата",
        "cohort": "Группа",
        "country": "Страна",
        "place": "Место",
        "trained_by": "Обучение провёл(а) {trainer}, сертифицированный тренер курса "
        "{course}",
        "code": "Код сертификата",
        "verify": "Проверить на",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


_fonts_registered = False


def register_fonts() -> None:
    """Register DejaVu Sans with ReportLab once per process. ReportLab's
    TTFont subsets the font for each document, embedding only the glyphs it
    draws."""
    global _fonts_registered
    if not _fonts_registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        _fonts_registered = True


def format_date(value: str | None, language: str) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value[:10])
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def country_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    with translation.override(language):
        return str(countries.name(code) or code)


def format_hours(value) -> str:
    if value in (None, ""):
        return ""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    return text


def _fit(c: canvas.Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size <= size at which text fits in width."""
    measured = pdfmetrics.stringWidth(text, font, size)
    if measured <= width or measured == 0:
        return size
    return max(8.0, size * width / measured)


# Strong text (title, name, course, values, code) is the same font drawn
# with fill and stroke (text render mode 2) and a stroke this fraction of the
# size: one embedded font program instead of two (the PDF is ~30 KB smaller,
# which the email's base64 and MIME encoding feel most).
STRONG = 2
STRONG_STROKE = 0.03


def _strong(c: canvas.Canvas, size: float, color) -> None:
    c.setFont(FONT, size)
    c.setFillColor(color)
    c.setStrokeColor(color)
    c.setLineWidth(size * STRONG_STROKE)


def qr_matrix(data: str) -> tuple[bytearray, ...]:
    """The QR code of `data`: byte mode, error level M, mask 0 (choosing the
    best of eight masks costs ~5 ms more per certificate for no gain a phone
    camera would notice; the decode test reads every PDF's code)."""
    return segno.make(
        data, error="m", mask=0, mode="byte", micro=False, boost_error=False
    ).matrix


def draw_qr(c: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """A vector QR code: one rectangle per horizontal run of dark modules,
    written as a single path of `re` operators in module units (a `cm`
    transform scales them), so that every number is a small integer."""
    matrix = qr_matrix(data)
    border = 2
    count = len(matrix) + 2 * border
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(INK)
    module = size / count
    ops = [f"q {module:.5f} 0 0 {module:.5f} {x:.3f} {y:.3f} cm"]
    append = ops.append
    top = count - border - 1
    for row_index, row in enumerate(matrix):
        line = top - row_index
        col = 0
        width = len(row)
        while col < width:
            if row[col]:
                start = col
                col += 1
                while col < width and row[col]:
                    col += 1
                append(f"{start + border} {line} {col - start} 1 re")
            else:
                col += 1
    append("f Q")
    c.addLiteral("\n".join(ops))


def render_pdf(*, facts: dict, code: str, language: str, verify_url: str) -> bytes:
    """The PDF bytes of one certificate."""
    register_fonts()
    text = labels(language)
    width, height = PAGE
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=PAGE, pageCompression=1)
    c.setTitle(f"{text[facts.get('kind', 'course')]} {code}")
    c.setAuthor(facts.get("issuer") or "Relais")
    c.setCreator("Relais")

    margin = 36
    c.setStrokeColor(ACCENT)
    c.setLineWidth(3)
    c.rect(margin, margin, width - 2 * margin, height - 2 * margin, stroke=1, fill=0)
    c.setLineWidth(0.8)
    c.rect(margin + 8, margin + 8, width - 2 * margin - 16, height - 2 * margin - 16)

    centre = width / 2
    inner = width - 2 * margin - 80
    y = height - 110
    _strong(c, 30, ACCENT)
    title = text[facts.get("kind", "course")]
    c.drawCentredString(centre, y, title, mode=STRONG)

    y -= 44
    c.setFillColor(MUTED)
    c.setFont(FONT, 14)
    c.drawCentredString(centre, y, text["certifies"])

    y -= 46
    name = facts.get("name", "")
    _strong(c, _fit(c, name, FONT, 32, inner), INK)
    c.drawCentredString(centre, y, name, mode=STRONG)

    y -= 34
    c.setFillColor(MUTED)
    wording = facts.get("wording") or (
        text["attended"] if facts.get("kind") == "attendance" else text["wording"]
    )
    c.setFont(FONT, _fit(c, wording, FONT, 14, inner))
    c.drawCentredString(centre, y, wording)

    y -= 36
    course = facts.get("course", "")
    _strong(c, _fit(c, course, FONT, 22, inner), INK)
    c.drawCentredString(centre, y, course, mode=STRONG)

    if facts.get("kind") == "attendance" and facts.get("trainer"):
        y -= 26
        line = text["trained_by"].format(
            trainer=facts["trainer"], course=facts.get("cascade", course)
        )
        c.setFillColor(MUTED)
        c.setFont(FONT, _fit(c, line, FONT, 12, inner))
        c.drawCentredString(centre, y, line)

    details = []
    if facts.get("hours"):
        details.append((text["hours"], format_hours(facts["hours"])))
    details.append((text["date"], format_date(facts.get("date"), language)))
    if facts.get("cohort"):
        details.append((text["cohort"], facts["cohort"]))
    if facts.get("place"):
        details.append((text["place"], facts["place"]))
    if facts.get("country"):
        details.append((text["country"], country_name(facts["country"], language)))

    y -= 44
    left = margin + 60
    for label, value in details:
        c.setFillColor(MUTED)
        c.setFont(FONT, 11)
        c.drawString(left, y, f"{label}:")
        _strong(c, 11, INK)
        c.drawString(left + 90, y, value[:90], mode=STRONG)
        y -= 18

    # Signatory, bottom left.
    sig_y = margin + 70
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.line(left, sig_y + 16, left + 220, sig_y + 16)
    _strong(c, 12, INK)
    c.drawString(left, sig_y, facts.get("signatory", ""), mode=STRONG)
    c.setFillColor(MUTED)
    c.setFont(FONT, 10)
    c.drawString(left, sig_y - 14, facts.get("signatory_title", ""))

    # Code and QR code, bottom right.
    qr_size = 96
    qr_x = width - margin - 40 - qr_size
    qr_y = margin + 40
    draw_qr(c, verify_url, qr_x, qr_y, qr_size)
    c.setFillColor(MUTED)
    c.setFont(FONT, 9)
    c.drawRightString(qr_x - 12, qr_y + 60, text["code"])
    _strong(c, 12, INK)
    c.drawRightString(qr_x - 12, qr_y + 44, code, mode=STRONG)
    c.setFillColor(MUTED)
    c.setFont(FONT, 8)
    c.drawRightString(qr_x - 12, qr_y + 28, text["verify"])
    c.drawRightString(qr_x - 12, qr_y + 16, verify_url)

    c.showPage()
    c.save()
    return buffer.getvalue()
