"""The credential's public documents (issuer, keys, achievements, status
lists), the holder's downloads, and checking an uploaded credential."""

from __future__ import annotations

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from courses.models import CoursePage
from relais.files import private_download

from ..models import Certificate
from ..selectors import certificate_get_for_user
from ..views import verify_limited, verify_refused
from .documents import OB_CONTEXT, VC_CONTEXT, achievement, issuer_document
from .issue import credential_current, status_list_token
from .keys import public_jwks
from .sign import CREDENTIAL_MEDIA_TYPE
from .verify import (
    ENVELOPE_PREFIX,
    MAX_CREDENTIAL_BYTES,
    NotACredential,
    credential_verify,
)

JSON_LD = "application/ld+json"
PUBLIC_DOCUMENT = cache_control(public=True, max_age=3600)


def _json(document: dict, content_type: str = JSON_LD) -> JsonResponse:
    return JsonResponse(
        document,
        content_type=content_type,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@require_GET
@PUBLIC_DOCUMENT
def issuer(request):
    return _json(issuer_document())


@require_GET
@PUBLIC_DOCUMENT
def keys(request):
    return _json(public_jwks(), content_type="application/jwk-set+json")


@require_GET
@PUBLIC_DOCUMENT
def achievement_document(request, key: str, kind: str):
    try:
        translation_key = uuid.UUID(key)
    except ValueError:
        raise Http404 from None
    if kind not in Certificate.Kind.values:
        raise Http404
    # The course's original page (its first translation), as the id names it.
    course = (
        CoursePage.objects.filter(translation_key=translation_key)
        .select_related("locale")
        .order_by("pk")
        .first()
    )
    if course is None:
        raise Http404
    document = achievement(
        course=course,
        kind=kind,
        title=course.title,
        hours=str(course.estimated_hours),
    )
    return _json({"@context": [VC_CONTEXT, OB_CONTEXT], **document})


@require_GET
@cache_control(public=True, max_age=60)
def status_list(request, number: int):
    """Signed anew on each request: a revocation shows within a minute."""
    return HttpResponse(
        status_list_token(number), content_type=f"application/{CREDENTIAL_MEDIA_TYPE}"
    )


def _holder_credential(request, code: str):
    certificate = certificate_get_for_user(user=request.user, code=code)
    credential = credential_current(certificate=certificate)
    if credential is None:
        raise Http404
    return certificate, credential


@login_required
@require_GET
@private_download
def download_json(request, code: str):
    certificate, credential = _holder_credential(request, code)
    envelope = {
        "@context": [VC_CONTEXT],
        "id": f"{ENVELOPE_PREFIX}{credential.jwt}",
        "type": "EnvelopedVerifiableCredential",
    }
    response = HttpResponse(
        json.dumps(envelope, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate.code}-credential.json"'
    )
    return response


@login_required
@require_GET
@private_download
def download_jwt(request, code: str):
    certificate, credential = _holder_credential(request, code)
    response = HttpResponse(
        credential.jwt, content_type=f"application/{CREDENTIAL_MEDIA_TYPE}"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate.code}-credential.jwt"'
    )
    return response


@require_POST
def verify_upload(request):
    """A credential uploaded or pasted on the verification page."""
    if verify_limited(request):
        return verify_refused(request)
    upload = request.FILES.get("credential")
    pasted = request.POST.get("jwt", "")
    verdict = None
    error = ""
    try:
        if upload is not None:
            if upload.size > MAX_CREDENTIAL_BYTES:
                raise NotACredential(
                    _(
                        "This file is too large to be a credential (at most %(size)s KB)."
                    )
                    % {"size": MAX_CREDENTIAL_BYTES // 1024}
                )
            data: bytes | str = upload.read()
        else:
            data = pasted
        verdict = credential_verify(data)
    except NotACredential as exc:
        error = str(exc)
    return render(
        request,
        "certificates/verify_credential.html",
        {"verdict": verdict, "error": error},
        status=400 if error else 200,
    )
