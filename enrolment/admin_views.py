"""Wagtail admin views: edit an enrolment through the services, enrol a
participant by email, and the bulk CSV import (dry run, then commit)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.views.generic import CreateView, EditView

from accounts.models import User

from . import hooks, imports, services
from .admin_forms import EnrolParticipantForm, ImportUploadForm
from .models import Enrolment, EnrolmentRequest, ImportJob
from .selectors import import_job_progress
from .services.imports import import_dry_run, import_start

SESSION_KEY = "enrolment_import"


def _require_staff(request):
    if not (request.user.is_staff or request.user.is_superuser):
        raise PermissionDenied


class EnrolmentEditView(EditView):
    def save_instance(self):
        new = self.form.instance
        old = Enrolment.objects.get(pk=new.pk)
        actor = self.request.user
        if new.status == Enrolment.Status.WITHDRAWN and old.status != new.status:
            services.enrolment_withdraw(enrolment=old, actor=actor)
        elif old.status == Enrolment.Status.WITHDRAWN and new.status != old.status:
            services.enrolment_create(
                user=old.user,
                course=old.course,
                cohort=new.cohort,
                source=Enrolment.Source.ADMIN,
                actor=actor,
            )
        if new.cohort_id and new.cohort_id != old.cohort_id:
            old.refresh_from_db()
            services.enrolment_move(enrolment=old, cohort=new.cohort, actor=actor)
        old.refresh_from_db()
        return old

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.EnrolmentError as exc:
            form.add_error(None, str(exc.message))
            return self.form_invalid(form)


class CohortSavedMixin:
    """A cohort saved through the admin form is announced (`hooks.cohort_saved`)
    in the same transaction; a receiver's ValidationError shows on the form."""

    def save_instance(self):
        with transaction.atomic():
            cohort = super().save_instance()
            hooks.cohort_saved.send(cohort=cohort, created=self.cohort_created)
        return cohort

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class CohortCreateView(CohortSavedMixin, CreateView):
    cohort_created = True


class CohortEditView(CohortSavedMixin, EditView):
    cohort_created = False


class EnrolmentCreateView(CreateView):
    """Enrolments are created through "Enrol a participant" (the services),
    never through a bare model form."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("enrolment_admin_enrol")


def enrol_participant(request):
    _require_staff(request)
    form = EnrolParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        cohort = form.cleaned_data["cohort"]
        if user is None:
            services.invitation_create(
                cohort=cohort, email=form.cleaned_data["email"], invited_by=request.user
            )
            messages.success(
                request, _("No account with this email yet: an invitation was sent.")
            )
            return redirect("enrolment_admin_enrol")
        try:
            services.enrolment_create(
                user=user,
                course=cohort.course,
                cohort=cohort,
                source=Enrolment.Source.ADMIN,
                actor=request.user,
            )
        except services.EnrolmentError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("%(user)s is enrolled in %(cohort)s.")
                % {"user": user.email, "cohort": cohort.name},
            )
            return redirect("enrolment_admin_enrol")
    return TemplateResponse(
        request,
        "enrolment/admin/enrol.html",
        {
            "form": form,
            "header_title": _("Enrol a participant"),
            "page_title": _("Enrol a participant"),
        },
    )


def import_participants(request):
    """Upload -> dry run (a summary and the refused rows); confirm -> the
    import runs as a Celery job, whose page shows its progress."""
    _require_staff(request)
    context: dict = {
        "header_title": _("Import participants"),
        "page_title": _("Import participants"),
        "recent": ImportJob.objects.exclude(status=ImportJob.Status.DRAFT)[:10],
    }
    if request.method == "POST" and request.POST.get("action") == "commit":
        return _import_commit(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is larger than 5 MB. Split it and import the parts."),
            )
            return TemplateResponse(request, "enrolment/admin/import.html", context)
        try:
            dry_run = import_dry_run(
                data=upload.read(),
                default_cohort=form.cleaned_data["cohort"],
                actor=request.user,
            )
        except imports.ImportRefused as exc:
            form.add_error("file", str(exc))
            return TemplateResponse(request, "enrolment/admin/import.html", context)
        if dry_run.job is not None:
            request.session[SESSION_KEY] = dry_run.job.token
        context["dry_run"] = dry_run
    return TemplateResponse(request, "enrolment/admin/import.html", context)


def _import_commit(request):
    token = request.POST.get("token", "")
    job = None
    if token and request.session.get(SESSION_KEY) == token:
        job = import_start(token=token, actor=request.user)
    if job is None:
        messages.error(request, _("This import has expired. Upload the file again."))
        return redirect("enrolment_admin_import")
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        ngettext(
            "The import has started: %(n)s row. This page shows how far it got.",
            "The import has started: %(n)s rows. This page shows how far it got.",
            job.total,
        )
        % {"n": job.total},
    )
    return redirect("enrolment_admin_import_job", pk=job.pk)


def import_job(request, pk: int):
    """Progress and result of one import job."""
    _require_staff(request)
    job = get_object_or_404(
        ImportJob.objects.exclude(status=ImportJob.Status.DRAFT), pk=pk
    )
    return TemplateResponse(
        request,
        "enrolment/admin/import_job.html",
        {
            "header_title": _("Import participants"),
            "page_title": _("Import participants"),
            **import_job_progress(job=job),
        },
    )


def enrolment_requests(request):
    """Staff answer the requests to join courses that need approval: the
    pending ones, oldest first, each with approve and refuse."""
    _require_staff(request)
    if request.method == "POST":
        pending = (
            EnrolmentRequest.objects.select_related("user", "course")
            .filter(pk=int(request.POST["request"].strip()))
            .first()
            if request.POST.get("request", "").strip().isdigit()
            else None
        )
        if pending is None:
            messages.error(request, _("There is no such request."))
            return redirect("enrolment_admin_requests")
        try:
            if request.POST.get("decision") == "approve":
                services.enrolment_request_approve(request=pending, actor=request.user)
                messages.success(
                    request,
                    _("%(user)s is enrolled in %(course)s.")
                    % {"user": pending.user.email, "course": pending.course.title},
                )
            else:
                services.enrolment_request_refuse(request=pending, actor=request.user)
                messages.success(
                    request,
                    _("The request of %(user)s is refused.")
                    % {"user": pending.user.email},
                )
        except services.EnrolmentError as exc:
            messages.error(request, str(exc.message))
        return redirect("enrolment_admin_requests")
    return TemplateResponse(
        request,
        "enrolment/admin/requests.html",
        {
            "requests": EnrolmentRequest.objects.filter(
                status=EnrolmentRequest.Status.PENDING
            )
            .select_related("user", "course")
            .order_by("created_at")[:500],
            "header_title": _("Enrolment requests"),
            "page_title": _("Enrolment requests"),
        },
    )
