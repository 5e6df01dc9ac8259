"""The certificate's QR code, drawn as vector rectangles."""

from __future__ import annotations

import segno
from reportlab.lib.colors import Color, white
from reportlab.pdfgen.canvas import Canvas


def qr_matrix(data: str) -> tuple[bytearray, ...]:
    """The QR code of `data`: byte mode, error level M, mask 0 (choosing the
    best of eight masks costs ~5 ms more per certificate for no gain a phone
    camera would notice; the decode test reads every PDF's code)."""
    return segno.make(
        data, error="m", mask=0, mode="byte", micro=False, boost_error=False
    ).matrix


def draw_qr(c: Canvas, data: str, x: float, y: float, size: float, ink: Color) -> None:
    """A vector QR code: one rectangle per horizontal run of dark modules,
    written as a single path of `re` operators in module units (a `cm`
    transform scales them), so that every number is a small integer."""
    matrix = qr_matrix(data)
    border = 2
    count = len(matrix) + 2 * border
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(ink)
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
