from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.countries import country_choices

from .models import User


class ProfileSignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls signup())."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    country = forms.ChoiceField(
        label=_("Country"), choices=country_choices, required=False
    )
    institution = forms.CharField(
        label=_("Institution"), max_length=200, required=False
    )
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"),
        choices=[("", "—")] + list(User.OrganisationType.choices),
        required=False,
    )

    field_order = ["email", "first_name", "last_name", "password1", "password2"]

    def signup(self, request, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.country = self.cleaned_data.get("country") or ""
        user.institution = self.cleaned_data.get("institution", "").strip()
        user.organisation_type = self.cleaned_data.get("organisation_type") or ""
        language = (get_language() or "en").split("-")[0]
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        user.save()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "country",
            "institution",
            "organisation_type",
            "preferred_language",
            "gender",
            "save_data",
        ]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user or not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."))
        return password
