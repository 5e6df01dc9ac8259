"""Wagtail admin views for programme staff: every cascade by course and
country, and correcting a cohort's place in the tree."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment.models import Cohort

from . import selectors, services


def _require_staff(request) -> None:
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied


class CohortParentForm(forms.Form):
    cohort = forms.IntegerField(label=gettext_lazy("Cohort id"), min_value=1)
    parent = forms.IntegerField(
        label=gettext_lazy("New parent cohort id"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("Leave empty to make it a root (generation 1)."),
    )

    def clean_cohort(self):
        pk = self.cleaned_data["cohort"]
        cohort = Cohort.objects.filter(pk=pk).first()
        if cohort is None:
            raise ValidationError(_("There is no cohort %(pk)d.") % {"pk": pk})
        return cohort

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        parent = Cohort.objects.filter(pk=pk).first()
        if parent is None:
            raise ValidationError(_("There is no cohort %(pk)d.") % {"pk": pk})
        return parent


def cascades_report(request):
    _require_staff(request)
    form = CohortParentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_set_parent(
                cohort=form.cleaned_data["cohort"],
                parent=form.cleaned_data["parent"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The cohort was moved in the cascade."))
            return redirect("cascades_admin:report")
    course_id = request.GET.get("course")
    course_id = int(course_id) if course_id and course_id.isdigit() else None
    cascades = selectors.cascade_reach_by_course()
    roots, truncated = (None, False)
    if course_id:
        roots, truncated = selectors.cascade_tree(course_id=course_id, limit=600)
    return render(
        request,
        "cascades/admin/report.html",
        {
            "cascades": cascades,
            "course_id": course_id,
            "roots": roots,
            "truncated": truncated,
            "parent_form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
