"""Domain events announced by enrolment. Subscribers (certificates, cascades)
connect in their AppConfig.ready(); enrolment knows nothing of them.

on_course_completed: receivers get `enrolment=`; it is sent after the commit
that completed the enrolment (transaction.on_commit), exactly once per
completion."""

from relais.hooks import Hook

on_course_completed = Hook("on_course_completed")

# receiver(request, user) -> list of (template_name, context) sections that the
# participant dashboard renders after its own (certificates connects one).
dashboard_sections = Hook("dashboard_sections")

# receiver(*, cohort, created), inside the transaction that saved a cohort
# through the Wagtail admin's cohort form (cascades connects one: it places
# the cohort in its cascade tree). A receiver may raise ValidationError: the
# save is rolled back and the form shows the message.
cohort_saved = Hook("cohort_saved")
