from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Certificate


class CertificateFilterForm(forms.Form):
    code = forms.CharField(label=_("Code"), required=False)
    course: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Course"), queryset=None, required=False
    )
    cohort: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Cohort"), queryset=None, required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Certificate.Status.choices],
    )
    issued_from = forms.DateField(
        label=_("Issued from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    issued_to = forms.DateField(
        label=_("Issued until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        from courses.models import CoursePage
        from enrolment.models import Cohort

        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.order_by("title")
        self.fields["cohort"].queryset = Cohort.objects.order_by("name")
        self.fields["country"].choices = [("", _("Any country")), *countries]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Shown on the public verification page."),
    )


class RestoreForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for restoring"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Shown on the public verification page, with the revocation it undoes."
        ),
    )


class RegenerateForm(forms.Form):
    course: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Course"), queryset=None
    )

    def __init__(self, *args, **kwargs):
        from courses.models import CoursePage

        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.order_by("title")


class CohortZipForm(forms.Form):
    cohort: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Cohort"), queryset=None
    )

    def __init__(self, *args, **kwargs):
        from enrolment.models import Cohort

        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.select_related(
            "course"
        ).order_by("name")
