"""The web side on S3 (moto's server): an editor's image lands in the public
bucket and is read back from it, and private files are written under their
own name and never readable without a signature."""

from __future__ import annotations

import hashlib
import io
import urllib.request

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from certificates.services.render import store_pdf

from .conftest import PRIVATE_BUCKET, PUBLIC_BUCKET


def png_bytes(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (20, 110, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_editors_image_upload_lands_in_the_public_bucket(
    s3_storage, s3_server, client, admin_user
):
    content = png_bytes()
    client.force_login(admin_user)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Harbour at dawn",
            "file": SimpleUploadedFile("harbour.png", content, "image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.get(title="Harbour at dawn")
    assert (image.width, image.height) == (64, 48)
    assert s3_server.keys(PUBLIC_BUCKET) == [image.file.name]
    assert s3_server.read(PUBLIC_BUCKET, image.file.name) == content
    assert s3_server.keys(PRIVATE_BUCKET) == []
    # A rendition is drawn from the original read back from the bucket.
    rendition = image.get_rendition("fill-32x32")
    assert rendition.file.name in s3_server.keys(PUBLIC_BUCKET)
    # Public URLs carry no signature, and anyone may read them.
    assert "X-Amz-Signature" not in rendition.url
    assert rendition.url.startswith(f"{s3_server.endpoint}/{PUBLIC_BUCKET}/")
    with urllib.request.urlopen(image.file.url, timeout=10) as public:  # noqa: S310
        assert public.read() == content
    assert s3_storage.files() == []


def test_a_private_file_is_readable_only_with_a_signature(s3_storage, s3_server):
    content = b"%PDF-1.7 not really a certificate"
    name = store_pdf(name="certificates/RLX-TEST.pdf", content=content)
    assert name == "certificates/RLX-TEST.pdf"
    assert s3_server.keys(PRIVATE_BUCKET) == [name]
    # moto enforces object ACLs for anonymous requests: no ACL was sent, so
    # the object is its owner's only.
    status, _body = s3_server.anonymous_get(PRIVATE_BUCKET, name)
    assert status == 403
    grants = s3_server.client().get_object_acl(Bucket=PRIVATE_BUCKET, Key=name)
    grantees = [grant["Grantee"] for grant in grants["Grants"]]
    assert [grantee["Type"] for grantee in grantees] == ["CanonicalUser"]
    # A URL of a private object is signed and short-lived.
    url = storages["private"].url(name)
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=120" in url
    with urllib.request.urlopen(url, timeout=10) as signed:  # noqa: S310
        assert signed.read() == content
    assert s3_storage.files() == []


def test_a_pdf_stored_again_replaces_the_file_under_its_own_name(s3_storage, s3_server):
    name = "certificates/RLX-AGAIN.pdf"
    store_pdf(name=name, content=b"first render")
    assert store_pdf(name=name, content=b"second render") == name
    assert s3_server.keys(PRIVATE_BUCKET) == [name]
    assert s3_server.read(PRIVATE_BUCKET, name) == b"second render"
    with storages["private"].open(name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == (
            hashlib.sha256(b"second render").hexdigest()
        )
