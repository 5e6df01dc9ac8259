from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Cohort, Enrolment


class EnrolmentAdminForm(WagtailAdminModelForm):
    """Edit an enrolment through the services: change of cohort is a move
    (same course, seats checked), status withdrawn is a withdrawal, back to
    active is a re-join."""

    class Meta:
        model = Enrolment
        fields = ["cohort", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["cohort"].queryset = Cohort.objects.filter(
                course_id=self.instance.course_id
            )
        self.fields["status"].choices = [
            (Enrolment.Status.ACTIVE, Enrolment.Status.ACTIVE.label),
            (Enrolment.Status.WITHDRAWN, Enrolment.Status.WITHDRAWN.label),
        ] + (
            [(Enrolment.Status.COMPLETED, Enrolment.Status.COMPLETED.label)]
            if self.instance.status == Enrolment.Status.COMPLETED
            else []
        )


class EnrolParticipantForm(forms.Form):
    email = forms.EmailField(label=_("Participant's email"), max_length=254)
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.select_related("course")
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, first name, last name, country, institution, cohort "
            "(its enrolment key, name or id). UTF-8 or Windows-1252, comma or semicolon. At most 5 MB and 20,000 rows."
        ),
    )
    cohort = forms.ModelChoiceField(
        label=_("Default cohort"),
        required=False,
        queryset=Cohort.objects.select_related("course"),
        help_text=_("Used for rows whose cohort column is empty."),
    )
