"""Certificate services: request, render, email, revoke, reissue, the
admin's long jobs and the sweep. Nothing here knows about retries: the
tasks do. See docs/certificates.md for how the parts fit."""

from .base import ISSUER, queue_email, queue_job, queue_render, verify_url
from .email import certificate_email, certificate_recipient, stale_email
from .erase import (
    certificate_events_scrub_address,
    certificate_files,
    certificates_erase_names,
)
from .facts import (
    certificate_facts,
    certificate_language,
    certificate_load,
)
from .jobs import (
    JOB_CHUNK,
    STALE_JOB,
    certificate_job_claim,
    certificate_job_run,
    certificates_regenerate_course,
    cohort_certificates,
    cohort_zip_build,
)
from .render import (
    STALE_RENDER,
    certificate_claim_render,
    certificate_render,
    pdf_name,
    render_and_store,
    renderer,
    store_pdf,
)
from .requests import (
    certificate_request_for_attendee,
    certificate_request_for_enrolment,
    on_course_completed,
)
from .revoke import certificate_reissue, certificate_restore, certificate_revoke
from .sweep import certificates_sweep, stale_pending

__all__ = [
    "ISSUER",
    "JOB_CHUNK",
    "STALE_JOB",
    "STALE_RENDER",
    "certificate_claim_render",
    "certificate_email",
    "certificate_events_scrub_address",
    "certificate_facts",
    "certificate_files",
    "certificate_job_claim",
    "certificate_job_run",
    "certificate_language",
    "certificate_load",
    "certificate_recipient",
    "certificate_reissue",
    "certificate_render",
    "certificate_request_for_attendee",
    "certificate_request_for_enrolment",
    "certificate_restore",
    "certificate_revoke",
    "certificates_erase_names",
    "certificates_regenerate_course",
    "certificates_sweep",
    "cohort_certificates",
    "cohort_zip_build",
    "on_course_completed",
    "pdf_name",
    "queue_email",
    "queue_job",
    "queue_render",
    "render_and_store",
    "renderer",
    "stale_email",
    "stale_pending",
    "store_pdf",
    "verify_url",
]
