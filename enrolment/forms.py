from django import forms
from django.utils.translation import gettext_lazy as _


class EnrolmentKeyForm(forms.Form):
    key = forms.CharField(
        label=_("Enrolment key"),
        max_length=64,
        help_text=_("Your trainer gave you this key. Case does not matter."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
