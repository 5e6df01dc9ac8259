"""Hooks that cascades announces. `certificates` depends on `cascades`, never
the other way round, so cascades never imports certificates: certificates
connects here in its AppConfig.ready().

attendance_certificate_request: receiver(*, attendee, requested_by) -> object
    with a `status` attribute (the Certificate). Called once per listed
    attendee when a trainer asks for attendance certificates; it must be
    idempotent (asking twice returns the existing certificate). The
    certificates app connects `certificate_request_for_attendee`; it is the
    only provider (a SingleHook: a second one raises).

Certificate *status* is read in selectors through the reverse one-to-ones
`Enrolment.certificate` and `SessionAttendee.certificate` (plain ORM, no
import of certificates), which the certificate model defines."""

from relais.hooks import SingleHook

attendance_certificate_request = SingleHook("attendance_certificate_request")
