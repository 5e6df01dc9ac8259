"""Public verification and the owner's download. Thin: read the input, call
one selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from relais import ratelimit
from relais.files import private_download

from .codes import normalise_code
from .credentials.issue import credential_current
from .formatting import certificate_details
from .models import Certificate
from .selectors import certificate_by_code, certificate_get_for_user

VERIFY_LIMIT = 30  # lookups per IP per minute: enough for people, not for guessing
VERIFY_PERIOD = 60


def verify_limited(request) -> bool:
    return ratelimit.hit(
        scope="certificate-verify",
        idents=[f"ip:{ratelimit.client_ip(request)}"],
        limit=VERIFY_LIMIT,
        period=VERIFY_PERIOD,
    )


def verify_refused(request):
    response = render(request, "certificates/rate_limited.html", status=429)
    response["Retry-After"] = str(VERIFY_PERIOD)
    return response


@require_GET
def verify_form(request):
    raw = request.GET.get("code", "")
    error = ""
    if raw:
        canonical = normalise_code(raw)
        if canonical:
            return redirect("certificate_verify", code=canonical)
        error = _(
            "This is not a certificate code. A code looks like "
            "RLX-7KQ2-M9TD-4HXP-WZ3C; letters O, I and L and digits 0 and 1 "
            "are never used."
        )
    return render(
        request,
        "certificates/verify_form.html",
        {"code": raw, "error": error},
        status=400 if error else 200,
    )


@require_GET
def verify(request, code: str):
    if verify_limited(request):
        return verify_refused(request)
    canonical = normalise_code(code)
    if canonical and canonical != code:
        return redirect("certificate_verify", code=canonical)
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return render(
            request,
            "certificates/verify.html",
            {"state": "unknown", "code": code},
            status=404,
        )
    state = {
        Certificate.Status.ISSUED.value: "valid",
        Certificate.Status.REVOKED.value: "revoked",
    }.get(certificate.status, "pending")
    # A certificate revoked then restored says so: its history is public.
    history = (
        certificate.events.filter(action__in=["revoked", "restored"]).order_by(
            "created_at", "pk"
        )
        if state == "valid"
        else []
    )
    # Its holder, signed in, finds their credential here too.
    holder_credential = (
        state == "valid"
        and certificate.user_id is not None
        and certificate.user_id == request.user.pk
        and credential_current(certificate=certificate) is not None
    )
    return render(
        request,
        "certificates/verify.html",
        {
            "state": state,
            "holder_credential": holder_credential,
            "history": history,
            "certificate": certificate,
            "facts": certificate.facts,
            # Formatted as the PDF formats them, in the visitor's language.
            "details": certificate_details(
                certificate.facts, translation.get_language()
            ),
        },
    )


@login_required
@require_GET
@private_download
def download(request, code: str):
    certificate = certificate_get_for_user(user=request.user, code=code)
    handle = storages["private"].open(certificate.pdf.name, "rb")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{certificate.code}.pdf",
        content_type="application/pdf",
    )


def verify_path(code: str) -> str:
    return reverse("certificate_verify", kwargs={"code": code})
