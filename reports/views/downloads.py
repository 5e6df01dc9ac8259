"""The report exports: a download made at once when it is small, a job for
the task queue when it is not, and the list and download of ready jobs."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import staff_reauthentication_required
from relais.files import private_download

from ..access import reports_staff_required
from ..exports import (
    KINDS,
    SYNC_EXPORT_LIMIT,
    csv_chunks,
    report_export,
    write_xlsx,
)
from ..filters import filters_from_params
from ..models import ExportJob, private_storage
from ..services import export_job_get_for_user, export_job_request, export_params
from .pages import report_links


@reports_staff_required
@staff_reauthentication_required
@private_download
def export(request, kind: str, fmt: str):
    if kind not in KINDS or fmt not in ExportJob.Format.values:
        return _not_found(request)
    filters = filters_from_params(request.GET)
    report_url = reverse(
        "relais_reports:"
        + {"enrolment_list": "enrolments", "cascade_months": "cascades"}.get(kind, kind)
    )
    if filters is None:
        messages.error(request, _("The export filters could not be used."))
        return HttpResponseRedirect(report_url)
    options = export_params(request.GET)
    header, rows, count = report_export(kind, filters, options)
    if count > SYNC_EXPORT_LIMIT:
        job = export_job_request(
            user=request.user, kind=kind, fmt=fmt, params=request.GET
        )
        if job.queued is False:
            messages.warning(
                request,
                _(
                    "This export has %(count)s rows. It is recorded, but the task "
                    "queue is not answering: it will be prepared within a few "
                    "minutes of the queue being back, and listed under Exports."
                )
                % {"count": count},
            )
        else:
            messages.success(
                request,
                _(
                    "This export has %(count)s rows: it is being prepared. It will "
                    "be listed under Exports when it is ready."
                )
                % {"count": count},
            )
        query = request.GET.urlencode()
        return HttpResponseRedirect(f"{report_url}?{query}" if query else report_url)
    filename = f"relais-{kind}-{timezone.now():%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    # FileResponse closes the file once sent; the workbook never sits in memory.
    tmp = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(header, rows, tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@reports_staff_required
def export_jobs(request):
    jobs = ExportJob.objects.filter(requested_by=request.user)[:50]
    context = {
        "page_title": _("Exports"),
        "header_title": _("Exports"),
        "jobs": jobs,
        "report_links": report_links(),
        "kind": "exports",
    }
    return TemplateResponse(request, "reports/export_jobs.html", context)


def _not_found(request):
    # Answered here rather than raised: an Http404 under /admin/ would be
    # redirected to a language-prefixed URL by LocaleMiddleware.
    return TemplateResponse(request, "reports/not_found.html", status=404)


@reports_staff_required
@staff_reauthentication_required
@private_download
def export_download(request, pk: int):
    try:
        job = export_job_get_for_user(user=request.user, pk=pk)
    except Http404:
        return _not_found(request)
    if job.status != ExportJob.Status.DONE or not job.file:
        return _not_found(request)
    # The private storage as configured now (a folder or a bucket,
    # docs/storage.md), as the certificates' downloads read it.
    handle = private_storage().open(job.file.name, "rb")
    return FileResponse(handle, as_attachment=True, filename=job.filename)
