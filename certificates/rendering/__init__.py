"""The certificate PDF: A4 landscape, drawn with ReportLab's canvas.

Every value printed comes from the frozen facts. Names and other user text
are drawn as strings, never parsed as markup, so a name like `<img src=...>`
prints as those characters and fetches nothing.

- layout.py: the page, its words through gettext in the certificate's
  language (the worker activates it), mirrored for right-to-left languages;
- text.py: a line in any script: font runs, bidi order, HarfBuzz shaping;
- fonts.py: one font per script, shipped in certificates/fonts/;
- qr.py: the QR code as vector rectangles, with a fixed mask.

Which function renders is a setting, RELAIS_CERTIFICATE_RENDERER (a dotted
path, default `certificates.rendering.render_pdf`), so that tests can slow
or hold a worker's renders without any test code in here."""

from .layout import render_pdf
from .qr import draw_qr, qr_matrix

__all__ = ["draw_qr", "qr_matrix", "render_pdf"]
