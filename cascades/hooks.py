"""Hooks that cascades announces. `certificates` depends on cascades, so
cascades never imports certificates: certificates connects here in its
AppConfig.ready(). Without it the pages show no certificate column values.

attendance_certificate_request: receiver(*, attendee, requested_by) -> object
    with a `status` attribute (the Certificate). Called once per listed
    attendee when a trainer asks for attendance certificates; it must be
    idempotent (asking twice returns the existing certificate). The
    certificates app connects `certificate_request_for_attendee`; it is the
    only provider (a SingleHook: a second one raises).

participant_certificate_status: provider(*, enrolment_ids) -> {enrolment id:
    status as a reader sees it ("Issued", translated)}, in one query, for the
    trainer's participants table; enrolments without a certificate are left
    out.

attendee_certificate_status: provider(*, attendee_ids) -> {attendee id:
    status}, the same for a session's attendee list.

Each has one provider: connecting a second raises.

attendees_anonymised: receiver(*, attendee_ids) -> None, called inside the
    transaction that erased these attendees' names (their address was a
    deleted account's; cascades/data_rights.py), so that what else prints
    the names (attendance certificates) erases them too. Any number of
    receivers (a Hook).

pdf_text: provider(*, canvas, x, y, text, size, align, width, rtl) -> None,
    draws one line of text in any script on a ReportLab canvas (`align`:
    "start", "end" or "centre" in the page's direction; `width`, if given,
    shrinks the line to fit). The sign-in sheet (cascades/sign_in_sheet.py)
    draws its words through it; certificates connects its own text drawing
    (fonts per script, bidi, shaping). Without a provider the sheet falls
    back to Helvetica, which draws Latin text only."""

from relais.hooks import Hook, SingleHook

attendance_certificate_request = SingleHook("attendance_certificate_request")
participant_certificate_status = SingleHook("participant_certificate_status")
attendee_certificate_status = SingleHook("attendee_certificate_status")
attendees_anonymised = Hook("attendees_anonymised")
pdf_text = SingleHook("pdf_text")
