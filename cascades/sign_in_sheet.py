"""The printable sign-in sheet of an in-person session: A4 portrait, the
session's details, the QR code of its check-in page and numbered lines to
sign, in the trainer's language (mirrored for a right-to-left one). Words
are drawn through cascades.hooks.pdf_text (certificates' fonts, any script);
user values are drawn as strings, never parsed as markup."""

from __future__ import annotations

import io

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from . import hooks
from .models import TrainingSession
from .qr import draw_qr

INK = HexColor("#1d2b36")
MUTED = HexColor("#55636e")
LINE = HexColor("#9aa5ad")
LINES = 25
MARGIN = 36
QR_SIZE = 120
ROW = 22
# Column widths (points) in reading order: number, name, institution,
# email, signature; they add up to the width between the margins.
COLUMNS = (24, 140, 120, 134, 105)


def _fallback_text(*, canvas, x, y, text, size, align, width, rtl, **kwargs):
    canvas.setFont("Helvetica", size)
    if width is not None:
        measured = canvas.stringWidth(text, "Helvetica", size)
        if measured > width:
            size = max(6.0, size * width / measured)
            canvas.setFont("Helvetica", size)
    side = {"centre": "centre", "start": "right" if rtl else "left"}.get(
        align, "left" if rtl else "right"
    )
    draw = {
        "left": canvas.drawString,
        "right": canvas.drawRightString,
        "centre": canvas.drawCentredString,
    }[side]
    draw(x, y, text.encode("latin-1", "replace").decode("latin-1"))


def _text(c, x, y, text, size, *, color=INK, align="start", width=None, rtl=False):
    if not text:
        return
    c.setFillColor(color)
    provider = hooks.pdf_text.provider or _fallback_text
    provider(
        canvas=c, x=x, y=y, text=str(text), size=size, align=align, width=width, rtl=rtl
    )


def render_sign_in_sheet(
    *, session: TrainingSession, url: str, trainer_name: str, language: str
) -> bytes:
    with translation.override(language):
        return _render(session=session, url=url, trainer_name=trainer_name)


def _render(*, session: TrainingSession, url: str, trainer_name: str) -> bytes:
    rtl = translation.get_language_bidi()
    width, height = A4
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    heading = _("Sign-in sheet")
    c.setTitle(f"{heading} · {session.title or session.place}")
    c.setCreator("Relais")

    def at(x: float, w: float = 0) -> float:
        """x from the start side (left, or right in RTL) for a box of width w."""
        return width - x - w if rtl else x

    start = at(MARGIN)
    text_width = width - 2 * MARGIN - QR_SIZE - 16
    y = height - MARGIN - 22
    _text(c, start, y, heading, 20, rtl=rtl, width=text_width)
    y -= 22
    title = session.title or _("In-person session")
    _text(c, start, y, title, 14, rtl=rtl, width=text_width)
    cohort = session.cohort
    facts = [
        (_("Cohort"), cohort.name),
        (_("Course"), cohort.course.title),
        (_("Date"), formats.date_format(session.held_on, "DATE_FORMAT")),
        (_("Place"), session.place),
        (_("Trainer"), trainer_name),
    ]
    y -= 8
    for label, value in facts:
        y -= 15
        _text(c, start, y, f"{label}:", 10, color=MUTED, rtl=rtl, width=80)
        value_x = at(MARGIN + 84)
        _text(c, value_x, y, value, 10, rtl=rtl, width=text_width - 84)

    # The QR code on the end side, the code and address under it.
    qr_x = at(width - MARGIN - QR_SIZE, QR_SIZE)
    qr_y = height - MARGIN - QR_SIZE
    draw_qr(c, url, qr_x, qr_y, QR_SIZE, INK)
    centre = qr_x + QR_SIZE / 2
    code = session.checkin_code or ""
    _text(
        c,
        centre,
        qr_y - 12,
        _("Check-in code: %(code)s") % {"code": code},
        9,
        align="centre",
        rtl=rtl,
        width=QR_SIZE + 40,
    )
    _text(c, centre, qr_y - 23, url, 7, color=MUTED, align="centre", width=QR_SIZE + 40)

    y = min(y, qr_y - 30) - 16
    _text(
        c,
        start,
        y,
        _("Scan the code to check in on your phone, or sign below."),
        10,
        color=MUTED,
        rtl=rtl,
        width=width - 2 * MARGIN,
    )
    y -= 12
    titles = ("#", _("Name"), _("Institution"), _("Email"), _("Signature"))
    c.setStrokeColor(LINE)
    c.setLineWidth(0.6)
    for row in range(LINES + 1):
        top = y - row * ROW
        x = MARGIN
        for index, column in enumerate(COLUMNS):
            box_x = at(x, column)
            c.rect(box_x, top - ROW, column, ROW, stroke=1, fill=0)
            label = titles[index] if row == 0 else (str(row) if index == 0 else "")
            if label:
                _text(
                    c,
                    at(x + 4),
                    top - ROW + 7,
                    label,
                    9,
                    color=MUTED if row else INK,
                    rtl=rtl,
                    width=column - 8,
                )
            x += column
    c.showPage()
    c.save()
    return buffer.getvalue()
