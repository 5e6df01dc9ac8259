"""Images are served from our own origin: an SVG (which can carry script) is
refused at upload."""

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def test_an_svg_image_upload_is_refused(db):
    Image = get_image_model()
    Form = get_image_form(Image)
    form = Form(
        data={"title": "Logo"},
        files={"file": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml")},
    )
    assert not form.is_valid()
    assert "file" in form.errors
    assert Image.objects.count() == 0
