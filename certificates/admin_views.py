"""Staff views inside the Wagtail admin: list and filter, revoke, reissue,
regenerate a course, ZIP a cohort. Read-only on the frozen facts: nothing
here edits what a certificate says."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import staff_reauthentication_required
from relais.files import private_download

from . import selectors, services
from .forms import (
    CertificateFilterForm,
    CohortZipForm,
    RegenerateForm,
    RestoreForm,
    RevokeForm,
)
from .models import Certificate, CertificateJob

# What each frozen fact is called on the certificate's admin page.
FACT_LABELS = {
    "kind": gettext_lazy("Kind"),
    "name": gettext_lazy("Name"),
    "name_removed": gettext_lazy("Name removed"),
    "institution": gettext_lazy("Institution"),
    "course": gettext_lazy("Course"),
    "cascade": gettext_lazy("Cascade course"),
    "trainer": gettext_lazy("Trainer"),
    "hours": gettext_lazy("Hours"),
    "date": gettext_lazy("Date"),
    "place": gettext_lazy("Place"),
    "cohort": gettext_lazy("Cohort"),
    "country": gettext_lazy("Country"),
    "signatory": gettext_lazy("Signatory"),
    "signatory_title": gettext_lazy("Signatory's title"),
    "wording": gettext_lazy("Wording"),
    "issuer": gettext_lazy("Issuer"),
}


def fact_rows(facts: dict) -> list[tuple[str, object]]:
    """The frozen facts as (label, value) rows: named for people, the kind
    by its label; a fact without a label yet is shown by its key."""
    rows = []
    for key, value in facts.items():
        if key == "kind" and value in Certificate.Kind.values:
            value = Certificate.Kind(value).label
        elif value is True:
            value = _("Yes")
        rows.append((str(FACT_LABELS.get(key, key.replace("_", " "))), value))
    return rows


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def certificate_list(request):
    form = CertificateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.certificates_admin_list(filters=filters), 50).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "certificates/admin/list.html",
        {
            "page_title": _("Certificates"),
            "form": form,
            "page_obj": page,
            "jobs": selectors.certificate_jobs_recent(limit=5),
        },
    )


def _certificate(pk: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related(
            "user", "revoked_by", "enrolment__course", "enrolment__cohort"
        ),
        pk=pk,
    )


@staff_required
def certificate_detail(request, pk: int, revoke_form=None, restore_form=None):
    certificate = _certificate(pk)
    return render(
        request,
        "certificates/admin/detail.html",
        {
            "page_title": certificate.code,
            "certificate": certificate,
            "facts": fact_rows(certificate.facts or {}),
            "events": certificate.events.select_related("actor"),
            "revoke_form": revoke_form or RevokeForm(),
            "restore_form": restore_form or RestoreForm(),
        },
        status=400 if revoke_form is not None or restore_form is not None else 200,
    )


@staff_required
@staff_reauthentication_required
@require_POST
def certificate_revoke(request, pk: int):
    return _revocation_change(
        request,
        pk,
        form=RevokeForm(request.POST),
        form_name="revoke_form",
        change=services.certificate_revoke,
        done=_("The certificate is revoked."),
    )


@staff_required
@staff_reauthentication_required
@require_POST
def certificate_restore(request, pk: int):
    return _revocation_change(
        request,
        pk,
        form=RestoreForm(request.POST),
        form_name="restore_form",
        change=services.certificate_restore,
        done=_("The certificate is valid again."),
    )


def _revocation_change(request, pk: int, *, form, form_name: str, change, done: str):
    """Revoke or restore, with the reason from `form`. A refusal (already
    revoked, not revoked any more) is said as a message: the page may not
    show that form any more."""
    certificate = _certificate(pk)
    if not form.is_valid():
        return certificate_detail(request, pk, **{form_name: form})
    try:
        change(
            certificate=certificate,
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return certificate_detail(request, pk, **{form_name: form})
    messages.success(request, done)
    return redirect("certificates_admin:detail", pk=pk)


@staff_required
@require_POST
def certificate_reissue(request, pk: int):
    certificate = _certificate(pk)
    try:
        services.certificate_reissue(
            certificate=certificate,
            actor=request.user,
            email=bool(request.POST.get("email")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate was reissued with the same code."))
    return redirect("certificates_admin:detail", pk=pk)


@staff_required
@staff_reauthentication_required
@private_download
def certificate_download(request, pk: int):
    certificate = _certificate(pk)
    if not certificate.pdf:
        raise Http404
    return FileResponse(
        storages["private"].open(certificate.pdf.name, "rb"),
        as_attachment=True,
        filename=f"{certificate.code}.pdf",
        content_type="application/pdf",
    )


def _job_started(request, job: CertificateJob):
    """To the job's page, saying so if its task could not be queued yet."""
    if job.queued is False:
        messages.warning(
            request,
            _(
                "The job is recorded, but the task queue is not answering: it "
                "will start by itself within a few minutes of the queue being "
                "back."
            ),
        )
    return redirect("certificates_admin:job", pk=job.pk)


@staff_required
def regenerate(request):
    form = RegenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = services.certificates_regenerate_course(
            course=form.cleaned_data["course"], actor=request.user
        )
        return _job_started(request, job)
    return render(
        request,
        "certificates/admin/job_form.html",
        {
            "page_title": _("Regenerate all certificates of a course"),
            "form": form,
            "intro": _(
                "Every issued certificate of the course gets a new PDF from the "
                "current course and participant data. Codes stay the same; the "
                "history keeps each previous file's fingerprint (SHA-256)."
            ),
        },
        status=400 if form.is_bound else 200,
    )


@staff_required
@staff_reauthentication_required(allow_get=True)
def cohort_zip(request):
    form = CohortZipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = services.cohort_zip_build(
            cohort=form.cleaned_data["cohort"], actor=request.user
        )
        return _job_started(request, job)
    return render(
        request,
        "certificates/admin/job_form.html",
        {
            "page_title": _("Download a cohort's certificates as a ZIP"),
            "form": form,
            "intro": _("The ZIP is built in the background; its link appears here."),
        },
        status=400 if form.is_bound else 200,
    )


@staff_required
def job(request, pk: int):
    job = get_object_or_404(
        CertificateJob.objects.select_related("course", "cohort"), pk=pk
    )
    return render(
        request,
        "certificates/admin/job.html",
        {"page_title": job.get_kind_display(), "job": job},
    )


@staff_required
@staff_reauthentication_required
@private_download
def job_download(request, pk: int):
    job = get_object_or_404(
        CertificateJob.objects.select_related("cohort"),
        pk=pk,
        kind=CertificateJob.Kind.ZIP,
    )
    storage = storages["private"]
    if job.file_removed_at or (job.file and not storage.exists(job.file.name)):
        # Gone for good (a holder deleted their account): say so, and offer
        # to build a new one.
        return render(
            request,
            "certificates/admin/job.html",
            {"page_title": job.get_kind_display(), "job": job, "gone": True},
            status=410,
        )
    if job.status != CertificateJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        storage.open(job.file.name, "rb"),
        as_attachment=True,
        filename=f"certificates-cohort-{job.cohort_id}.zip",
        content_type="application/zip",
    )
