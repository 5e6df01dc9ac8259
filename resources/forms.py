"""The resources filter: GET drop-downs that work without JavaScript. A bad
value (unknown theme, `country=ZZ`, `kind=<script>`) is ignored, named in a
message, and never reaches the query."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Region, ResourcePage, Theme

EMPTY = [("", _("All"))]


class ResourceFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    theme = forms.TypedChoiceField(
        label=_("Theme"), required=False, coerce=int, empty_value=None
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(
        self,
        data=None,
        *,
        themes: Iterable[Theme] = (),
        theme_aliases: dict[int, int] | None = None,
        present_countries: Iterable[str] = (),
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self._themes = list(themes)
        self._theme_aliases = theme_aliases or {t.pk: t.pk for t in self._themes}
        self._present = set(present_countries)
        cast(forms.ChoiceField, self.fields["kind"]).choices = EMPTY + list(
            ResourcePage.Kind.choices
        )
        cast(forms.ChoiceField, self.fields["theme"]).choices = EMPTY + [
            (t.pk, t.name) for t in self._themes
        ]
        cast(forms.ChoiceField, self.fields["region"]).choices = EMPTY + list(
            Region.choices
        )
        # Every real country is a valid filter; the drop-down offers those
        # that resources cover, sorted by name in the visitor's language.
        cast(forms.ChoiceField, self.fields["country"]).choices = EMPTY + [
            (code, name) for code, name in countries if code in self._present
        ]
        self._valid_countries = {code for code, _name in countries}

    def clean_each(self) -> tuple[dict, list[str]]:
        """Validate field by field: keep the good values, list the labels of
        the fields whose values were ignored."""
        values: dict = {}
        ignored: list[str] = []
        data = self.data or {}
        for name, field in self.fields.items():
            raw = data.get(name, "")
            if raw in ("", None):
                values[name] = None
                continue
            if name == "theme":
                # Any language's id of a listed theme stands for the one shown.
                values[name] = (
                    self._theme_aliases.get(int(raw)) if str(raw).isdigit() else None
                )
                if values[name] is None:
                    ignored.append(str(field.label))
                continue
            if name == "country":
                raw = str(raw).upper()
                if raw in self._valid_countries:
                    values[name] = raw
                else:
                    values[name] = None
                    ignored.append(str(field.label))
                continue
            try:
                value = field.clean(raw)
            except forms.ValidationError:
                values[name] = None
                ignored.append(str(field.label))
                continue
            if isinstance(value, str):
                value = value.strip()
            values[name] = value or None
        return values, ignored

    def unbound_copy(self, values: dict) -> ResourceFilterForm:
        """The form to render: the accepted values selected, bad ones dropped."""
        form = ResourceFilterForm(
            themes=self._themes,
            theme_aliases=self._theme_aliases,
            present_countries=self._present | ({values["country"]} - {None}),
            initial={k: v for k, v in values.items() if v is not None},
        )
        return form
