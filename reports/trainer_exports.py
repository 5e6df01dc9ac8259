"""The trainer's own downloads, built the reports' way (`exports.csv_chunks`):
here rather than in cascades, which the reports depend on, not the reverse."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone

from cascades.selectors import trainer_reach_over_time_cached

from .exports import csv_chunks, reach_over_time_rows


@login_required
def cascade_months_csv(request):
    """People reached per month and generation in the signed-in trainer's
    cascade: nobody else's (a user without a cascade gets 404)."""
    data = trainer_reach_over_time_cached(user=request.user)
    if not data.months:
        raise Http404
    header, rows = reach_over_time_rows(data)
    response = StreamingHttpResponse(
        csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
    )
    filename = f"relais-cascade-months-{timezone.now():%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
