from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from enrolment.models import Cohort
from relais.countries import country_choices

from .models import SessionAttendee

# Seats in a cohort, people at a session: far above any real one, far below
# what the columns hold (a larger number was a 500 on saving).
MAX_PEOPLE = 100_000
# The service says the same of a negative count (services/sessions.py).
COUNT_ERRORS = {"min_value": _("A count cannot be negative.")}


class CourseChoiceField(forms.ModelChoiceField):
    """Courses named by their `local_title` (the reader's language's title,
    annotated by the view) where they have one."""

    def label_from_instance(self, obj) -> str:
        return getattr(obj, "local_title", None) or obj.title


class CohortOpenForm(forms.Form):
    course: forms.ModelChoiceField = CourseChoiceField(
        label=_("Course"), queryset=None, empty_label=None
    )
    name = forms.CharField(label=_("Cohort name"), max_length=200)
    country = forms.ChoiceField(
        label=_("Country"), choices=country_choices, required=False
    )
    institution = forms.CharField(
        label=_("Partner institution"), max_length=200, required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    mode = forms.ChoiceField(label=_("Delivery mode"), choices=Cohort.Mode.choices)
    capacity = forms.IntegerField(
        label=_("Seats"),
        required=False,
        min_value=1,
        max_value=MAX_PEOPLE,
        help_text=_("Leave empty for no limit."),
    )
    enrolment_key = forms.CharField(
        label=_("Enrolment key"),
        max_length=64,
        required=False,
        help_text=_("Leave empty and one is made for you."),
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, CourseChoiceField)
        field.queryset = courses


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, or separated by commas or semicolons."),
    )


class AttendeeForm(forms.Form):
    """An attendee the trainer fixes or adds by hand; the rules (a name, an
    email once per session) live in services.attendees."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    institution = forms.CharField(
        label=_("Institution"), max_length=200, required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", _("Not stated")), *SessionAttendee.Gender.choices],
    )


class SessionForm(forms.Form):
    """Field types only; the rules (counts add up, dates, attendee lines)
    live in services.session_record so that nothing is half-saved."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    duration_hours = forms.DecimalField(
        label=_("Duration (hours)"), max_digits=5, decimal_places=1
    )
    participants_women = forms.IntegerField(
        label=_("Women"),
        initial=0,
        min_value=0,
        max_value=MAX_PEOPLE,
        error_messages=COUNT_ERRORS,
    )
    participants_men = forms.IntegerField(
        label=_("Men"),
        initial=0,
        min_value=0,
        max_value=MAX_PEOPLE,
        error_messages=COUNT_ERRORS,
    )
    participants_other = forms.IntegerField(
        label=_("Other or not stated"),
        initial=0,
        min_value=0,
        max_value=MAX_PEOPLE,
        error_messages=COUNT_ERRORS,
    )
    attendees_text = forms.CharField(
        label=_("Attendees (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line: name, email, institution. Email and institution are "
            "optional; people with an email are invited to the platform."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CheckInForm(forms.Form):
    """What an attendee types on their phone; the rules live in
    services.attendee_check_in."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("For your attendance certificate."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    institution = forms.CharField(
        label=_("Institution"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        required=False,
        choices=[("", "—"), *SessionAttendee.Gender.choices],
    )
    consent = forms.BooleanField(
        label=_("I agree to be listed as an attendee of this session."),
        error_messages={
            "required": _(
                "Agree to be listed as an attendee, or ask the trainer to add you."
            )
        },
    )


class AttendeesAddForm(forms.Form):
    """Typing in a paper sign-in sheet: the session form's attendee lines."""

    attendees_text = forms.CharField(
        label=_("Attendees from the sign-in sheet"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line: name, email, institution. Email and institution are "
            "optional; people with an email are invited to the platform."
        ),
    )
