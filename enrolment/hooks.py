"""Domain events announced by enrolment. Subscribers (certificates, cascades)
connect in their AppConfig.ready(); enrolment knows nothing of them.

on_course_completed (a TransactionHook): receivers get `enrolment=`, exactly
once per completion, inside the transaction that completes the enrolment (the
one that flips it from active to completed). They write there what the
completion owes: certificates its pending certificate, cascades the trainer
qualifications of a train-the-trainer course. So a completion that commits
has them, whatever happens to the process after the commit; if a receiver
raises, the completion rolls back with it. Queuing (the render task) waits
for the commit (`transaction.on_commit`); `connect_after_commit` receivers
run after it, for what is not owed."""

from relais.hooks import Hook, TransactionHook

on_course_completed = TransactionHook("on_course_completed")

# receiver(request, user) -> list of (template_name, context) sections that the
# participant dashboard renders after its own (certificates connects one).
dashboard_sections = Hook("dashboard_sections")

# receiver(*, cohort, created), inside the transaction that saved a cohort
# through the Wagtail admin's cohort form (cascades connects one: it places
# the cohort in its cascade tree). A receiver may raise ValidationError: the
# save is rolled back and the form shows the message.
cohort_saved = Hook("cohort_saved")
