"""The check-in QR code, drawn by segno (as the certificates' and the
authenticator app's are): inline SVG for the trainer's page (no image
request, nothing the Content-Security-Policy refuses) and vector
rectangles for the sign-in sheet's PDF."""

from __future__ import annotations

import segno
from reportlab.lib.colors import Color, white
from reportlab.pdfgen.canvas import Canvas

BORDER = 4  # the quiet zone the QR standard asks for, in modules


def _code(data: str) -> segno.QRCode:
    return segno.make(data, error="m", mode="byte", micro=False, boost_error=False)


def qr_svg(data: str, *, title: str) -> str:
    """A scalable <svg> (sized by CSS) on white, with a title for screen
    readers."""
    return _code(data).svg_inline(
        scale=1,
        border=BORDER,
        omitsize=True,
        svgclass="checkin-qr",
        title=title,
        dark="#000",
        light="#fff",
    )


def draw_qr(c: Canvas, data: str, x: float, y: float, size: float, ink: Color) -> None:
    """The QR code at (x, y), `size` points square, one rectangle per
    horizontal run of dark modules."""
    matrix = _code(data).matrix
    count = len(matrix) + 2 * BORDER
    module = size / count
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(ink)
    path = c.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + BORDER + 1) * module
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            path.rect(
                x + (start + BORDER) * module, top, (col - start) * module, module
            )
    c.drawPath(path, stroke=0, fill=1)
