"""Reading back the check-in QR codes: the trainer page's inline SVG
(rasterised from its path, module by module) and the sign-in sheet's PDF
(rasterised by pdftoppm), both decoded by zxing-cpp."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw

MODULE = 8  # pixels per module


def svg_qr_texts(svg: str) -> list[str]:
    """Decode a segno SVG: its dark path is runs `h` along rows (y + .5)."""
    view = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg)
    assert view and path, svg[:200]
    size = int(view.group(1))
    image = Image.new("L", (size * MODULE, size * MODULE), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, args in re.findall(r"([MmHhVv])([^MmHhVv]*)", path.group(1)):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            row = int(y)
            draw.rectangle(
                [
                    int(x) * MODULE,
                    row * MODULE,
                    int(x + numbers[0]) * MODULE - 1,
                    (row + 1) * MODULE - 1,
                ],
                fill=0,
            )
            x += numbers[0]
        else:
            raise AssertionError(f"unexpected SVG path command {command}")
    return [result.text for result in zxingcpp.read_barcodes(image)]


def pdf_qr_texts(content: bytes) -> list[str]:
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        pytest.skip("needs pdftoppm (poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "sheet.pdf"
        pdf.write_bytes(content)
        subprocess.run(  # noqa: S603
            [pdftoppm, "-r", "150", "-png", "-singlefile", str(pdf), str(pdf)],
            capture_output=True,
            check=True,
            timeout=60,
        )
        image = Image.open(Path(folder) / "sheet.pdf.png")
        image.load()
    return [r.text for r in zxingcpp.read_barcodes(image)]
