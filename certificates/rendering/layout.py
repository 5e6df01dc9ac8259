"""The certificate page: A4 landscape, every word in the certificate's
language, mirrored for a right-to-left language (Arabic): the details and
the signatory on the right, the code and QR code on the left, text aligned
to the right."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import pgettext
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from ..formatting import certificate_details
from .qr import draw_qr
from .text import draw, fit, layout

PAGE = landscape(A4)
INK = HexColor("#1d2b36")
ACCENT = HexColor("#0b6e4f")
MUTED = HexColor("#55636e")

# Strong text (title, name, course, values, code) is the regular font drawn
# with fill and stroke (text render mode 2) and a stroke this fraction of the
# size: one embedded font program per script instead of two (the PDF is
# ~30 KB smaller, which the email's base64 and MIME encoding feel most).
STRONG = 2
STRONG_STROKE = 0.03


def labels(kind: str) -> dict[str, str]:
    """The template's words in the active language."""
    return {
        "title": pgettext("certificate", "Certificate of attendance")
        if kind == "attendance"
        else pgettext("certificate", "Certificate of completion"),
        "certifies": pgettext("certificate", "This is to certify that"),
        "wording": pgettext("certificate", "attended the training session")
        if kind == "attendance"
        else pgettext("certificate", "has successfully completed the course"),
        "hours": pgettext("certificate", "Hours"),
        "date": pgettext("certificate", "Date"),
        "cohort": pgettext("certificate", "Cohort"),
        "country": pgettext("certificate", "Country"),
        "place": pgettext("certificate", "Place"),
        "code": pgettext("certificate", "Certificate code"),
        "verify": pgettext("certificate", "Verify at"),
    }


def trained_by(*, trainer: str, course: str) -> str:
    return pgettext(
        "certificate", "Trained by %(trainer)s, certified trainer of %(course)s"
    ) % {"trainer": trainer, "course": course}


class Page:
    """Drawing helpers that know the page's direction."""

    def __init__(self, c: canvas.Canvas, *, rtl: bool) -> None:
        self.c = c
        self.rtl = rtl
        self.base = "R" if rtl else None

    def text(
        self,
        x: float,
        y: float,
        value: str,
        size: float,
        color,
        *,
        align: str = "start",
        strong: bool = False,
        width: float | None = None,
        template: bool = False,
    ) -> float:
        """Draw `value` at x; `align` is start, end or centre in the page's
        direction. Template words take the page's direction; user values
        (names, course titles) their own. Returns the width drawn."""
        if not value:
            return 0.0
        line = layout(value, self.base if template else None)
        if width is not None:
            size = fit(line, size, width)
        self.c.setFillColor(color)
        if strong:
            self.c.setStrokeColor(color)
            self.c.setLineWidth(size * STRONG_STROKE)
        side = {
            "centre": "centre",
            "start": "right" if self.rtl else "left",
            "end": "left" if self.rtl else "right",
        }[align]
        draw(self.c, x, y, line, size, align=side, mode=STRONG if strong else None)
        return line.width(size)


def render_pdf(*, facts: dict, code: str, language: str, verify_url: str) -> bytes:
    """The PDF bytes of one certificate."""
    with translation.override(language):
        return _render(facts=facts, code=code, language=language, verify_url=verify_url)


def _render(*, facts: dict, code: str, language: str, verify_url: str) -> bytes:
    kind = facts.get("kind", "course")
    text = labels(kind)
    rtl = translation.get_language_bidi()
    width, height = PAGE
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=PAGE, pageCompression=1)
    c.setTitle(f"{text['title']} {code}")
    c.setAuthor(facts.get("issuer") or "Relais")
    c.setCreator("Relais")
    page = Page(c, rtl=rtl)

    margin = 36
    c.setStrokeColor(ACCENT)
    c.setLineWidth(3)
    c.rect(margin, margin, width - 2 * margin, height - 2 * margin, stroke=1, fill=0)
    c.setLineWidth(0.8)
    c.rect(margin + 8, margin + 8, width - 2 * margin - 16, height - 2 * margin - 16)

    centre = width / 2
    inner = width - 2 * margin - 80
    y = height - 110
    page.text(
        centre, y, text["title"], 30, ACCENT, align="centre", strong=True, template=True
    )

    y -= 44
    page.text(centre, y, text["certifies"], 14, MUTED, align="centre", template=True)

    y -= 46
    page.text(
        centre,
        y,
        facts.get("name", ""),
        32,
        INK,
        align="centre",
        strong=True,
        width=inner,
    )

    y -= 34
    wording = facts.get("wording") or text["wording"]
    page.text(centre, y, wording, 14, MUTED, align="centre", width=inner, template=True)

    y -= 36
    course = facts.get("course", "")
    page.text(centre, y, course, 22, INK, align="centre", strong=True, width=inner)

    if kind == "attendance" and facts.get("trainer"):
        y -= 26
        line = trained_by(trainer=facts["trainer"], course=facts.get("cascade", course))
        page.text(
            centre, y, line, 12, MUTED, align="centre", width=inner, template=True
        )

    formatted = certificate_details(facts, language)
    details = []
    if facts.get("hours"):
        details.append((text["hours"], formatted["hours"]))
    details.append((text["date"], formatted["date"]))
    if facts.get("cohort"):
        details.append((text["cohort"], facts["cohort"]))
    if facts.get("place"):
        details.append((text["place"], facts["place"]))
    if facts.get("country"):
        details.append((text["country"], formatted["country"]))

    # Details, then the signatory, on the start side (left, or right in RTL).
    y -= 44
    start = width - margin - 60 if rtl else margin + 60
    forward = -1 if rtl else 1
    for label, value in details:
        page.text(start, y, f"{label}:", 11, MUTED, template=True)
        page.text(start + forward * 90, y, value[:90], 11, INK, strong=True, width=300)
        y -= 18

    sig_y = margin + 70
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.line(start, sig_y + 16, start + forward * 220, sig_y + 16)
    page.text(start, sig_y, facts.get("signatory", ""), 12, INK, strong=True, width=300)
    page.text(start, sig_y - 14, facts.get("signatory_title", ""), 10, MUTED, width=300)

    # Code and QR code on the end side (right, or left in RTL).
    qr_size = 96
    qr_y = margin + 40
    if rtl:
        qr_x = margin + 40
        text_x = qr_x + qr_size + 12
    else:
        qr_x = width - margin - 40 - qr_size
        text_x = qr_x - 12
    draw_qr(c, verify_url, qr_x, qr_y, qr_size, INK)
    page.text(text_x, qr_y + 60, text["code"], 9, MUTED, align="end", template=True)
    page.text(text_x, qr_y + 44, code, 12, INK, align="end", strong=True)
    page.text(text_x, qr_y + 28, text["verify"], 8, MUTED, align="end", template=True)
    page.text(text_x, qr_y + 16, verify_url, 8, MUTED, align="end")

    c.showPage()
    c.save()
    return buffer.getvalue()
