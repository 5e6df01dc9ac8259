"""The report filters: a plain GET form (shareable URLs, no JavaScript).

`ReportFilters` is what selectors take; the form turns a query string into
one, and an invalid query string into the unfiltered report plus a message."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.forms.utils import flatatt
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from courses.models import CoursePage
from enrolment.models import Cohort

GRANULARITIES = {
    "month": _("Month"),
    "quarter": _("Quarter"),
    "year": _("Year"),
}

# The period a filter may name: the programme's years, with room to spare.
# Outside it a date is a typing slip (and 9999-12-31 has no day after it).
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2099, 12, 31)

# Above this many cohorts the cohort filter becomes a number field.
COHORT_SELECT_LIMIT = 300


@dataclass(frozen=True)
class ReportFilters:
    course_id: int | None = None
    cohort_id: int | None = None
    country: str = ""
    institution: str = ""
    date_from: date | None = None
    date_to: date | None = None
    granularity: str = "month"

    @property
    def start(self) -> datetime | None:
        if self.date_from is None:
            return None
        return datetime.combine(self.date_from, time.min, tzinfo=UTC)

    @property
    def end(self) -> datetime | None:
        """Exclusive upper bound: the day after `date_to`, at midnight."""
        if self.date_to is None:
            return None
        return datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=UTC)

    @property
    def narrows_enrolments(self) -> bool:
        """Whether any filter (besides the granularity) limits the enrolments."""
        return bool(
            self.course_id
            or self.cohort_id
            or self.country
            or self.institution
            or self.date_from
            or self.date_to
        )

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("date_from", "date_to"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> ReportFilters:
        data = dict(data or {})
        for key in ("date_from", "date_to"):
            if data.get(key):
                data[key] = date.fromisoformat(data[key])
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in fields})


class PlainSelect(forms.Select):
    """A <select> written in Python. Django renders each option through a
    template, which for the 250 countries took more time than the report's
    own aggregates; the HTML is the same (values and labels escaped)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        parts = [
            format_html(
                '<select name="{}"{}>',
                name,
                flatatt(self.build_attrs(self.attrs, attrs)),
            )
        ]
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option_value,
                    mark_safe(" selected") if option_value in selected else "",
                    label,
                )
            )
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped


class ReportFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("All courses"),
        widget=PlainSelect,
    )
    cohort = forms.IntegerField(label=_("Cohort"), required=False, min_value=1)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=PlainSelect)
    institution = forms.CharField(
        label=_("Institution"), required=False, max_length=200
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    granularity = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=list(GRANULARITIES.items()),
        widget=PlainSelect,
    )

    def __init__(self, *args, cohort_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A course once, in the reader's language where translated: the
        # reports count its translations together. (Imported here: the
        # selectors package imports this module.)
        from .selectors.courses import one_page_per_course

        self.fields["course"].queryset = one_page_per_course().order_by("title")
        self.fields["country"].choices = [("", _("All countries"))] + list(countries)
        if cohort_choices is not None:
            self.fields["cohort"] = forms.TypedChoiceField(
                label=_("Cohort"),
                required=False,
                coerce=int,
                empty_value=None,
                widget=PlainSelect,
                choices=[("", _("All cohorts"))] + list(cohort_choices),
            )

    def _clean_period_end(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise forms.ValidationError(
                _("Enter a date between %(min)s and %(max)s."),
                code="out_of_range",
                params={"min": date_format(DATE_MIN), "max": date_format(DATE_MAX)},
            )
        return value

    def clean_date_from(self):
        return self._clean_period_end("date_from")

    def clean_date_to(self):
        return self._clean_period_end("date_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The start of the period must be before its end.")
            )
        return data

    def to_filters(self) -> ReportFilters:
        data = self.cleaned_data
        course = data.get("course")
        return ReportFilters(
            course_id=course.pk if course else None,
            cohort_id=data.get("cohort") or None,
            country=data.get("country") or "",
            institution=(data.get("institution") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            granularity=data.get("granularity") or "month",
        )


def filter_form_for(params) -> tuple[ReportFilterForm, ReportFilters, bool]:
    """The bound form, the filters it yields, and whether the input was valid.
    Invalid input gives the unfiltered report (the view says why)."""
    cohort_choices = None
    if Cohort.objects.count() <= COHORT_SELECT_LIMIT:
        cohort_choices = Cohort.objects.order_by("name").values_list("pk", "name")
    form = ReportFilterForm(params or None, cohort_choices=cohort_choices)
    if not params:
        form = ReportFilterForm(cohort_choices=cohort_choices)
        return form, ReportFilters(), True
    if form.is_valid():
        return form, form.to_filters(), True
    return form, ReportFilters(), False


def filters_from_params(params) -> ReportFilters | None:
    """For exports and jobs: the filters, or None when the input is invalid."""
    form = ReportFilterForm(params)
    if form.is_valid():
        return form.to_filters()
    return None
