"""Participant-facing views: thin; the work is in services and selectors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import selectors as course_selectors
from courses.completion import course_completed_messages
from courses.models import CoursePage, LessonPage
from relais import ratelimit

from . import hooks, selectors, services
from .forms import EnrolmentKeyForm
from .models import Enrolment

INVITATION_SESSION_KEY = "enrolment_invitation_token"
SYNC_LIMIT = 30  # batches per user per minute: a phone sends one per minute
SYNC_PERIOD = 60


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def dashboard(request):
    context = selectors.dashboard_for(user=request.user, request=request)
    sections = []
    for result in hooks.dashboard_sections.send(request=request, user=request.user):
        sections.extend(result or [])
    context["sections"] = sections
    context["key_form"] = EnrolmentKeyForm()
    return render(request, "enrolment/dashboard.html", context)


@require_POST
def course_enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    course_url = course.get_url(request) or "/"
    if not request.user.is_authenticated:
        # Sign up (or sign in) first, then back on the course page.
        query = urlencode({"next": course_url})
        return redirect(f"{reverse('account_signup')}?{query}")
    if course.needs_approval:
        try:
            services.enrolment_request_create(user=request.user, course=course)
        except services.EnrolmentError as exc:
            messages.info(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Your request to join is sent. You can start as soon as the "
                    "programme staff approve it."
                ),
            )
        return redirect(course_url)
    try:
        services.enrolment_create(
            user=request.user,
            course=course,
            source=Enrolment.Source.SELF,
            actor=request.user,
        )
    except services.AlreadyEnrolled:
        messages.info(request, _("You are already enrolled in this course."))
    except services.EnrolmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are enrolled. Welcome!"))
    return redirect(course_url)


@login_required
def enrol_key(request):
    # A trainer's join link carries the key (?key=...): prefilled, still confirmed.
    form = EnrolmentKeyForm(
        request.POST or None,
        initial={
            "next": request.GET.get("next", ""),
            "key": request.GET.get("key", "")[:64],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_join_with_key(
                user=request.user, key=form.cleaned_data["key"], request=request
            )
        except services.AlreadyEnrolled as exc:
            messages.info(request, exc.message)
            course = exc.enrolment.course if exc.enrolment else None
            return redirect(course.get_url(request) if course else "dashboard")
        except services.EnrolmentError as exc:
            form.add_error("key", str(exc.message))
        else:
            messages.success(
                request,
                _("You joined “%(cohort)s”.") % {"cohort": enrolment.cohort.name},
            )
            return redirect(enrolment.course.get_url(request) or "dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "enrolment/enrol_key.html", {"form": form}, status=status)


@require_POST
@login_required
def lesson_done(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    course = course_selectors.course_get_for_lesson(lesson=lesson)
    enrolment = Enrolment.objects.filter(
        user=request.user, course=course, status__in=selectors.SEATED
    ).first()
    if enrolment is None:
        raise Http404
    was_completed = enrolment.status == Enrolment.Status.COMPLETED
    services.lesson_complete(enrolment=enrolment, lesson=lesson)
    if not was_completed and enrolment.status == Enrolment.Status.COMPLETED:
        course_completed_messages(request, course=course)
    following = course_selectors.lesson_neighbours(
        lesson=lesson,
        outline=course_selectors.course_outline_cached(course=course),
    )[1]
    if following is not None and following.url:
        return redirect(following.url)
    return redirect(_safe_next(request, lesson.get_url(request) or "/"))


def invitation(request, token: str):
    invitation = selectors.invitation_get_by_token(token=token)
    course = invitation.cohort.course
    if not request.user.is_authenticated:
        # Kept in the session: accepted on login (see receivers.py).
        request.session[INVITATION_SESSION_KEY] = token
        return render(
            request,
            "enrolment/invitation.html",
            {
                "invitation": invitation,
                "course": course,
                "next": request.path,
            },
        )
    if request.method == "POST" or invitation.accepted_by_id == request.user.pk:
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.EnrolmentError as exc:
            messages.error(request, exc.message)
            return redirect("dashboard")
        request.session.pop(INVITATION_SESSION_KEY, None)
        return redirect(course.get_url(request) or "dashboard")
    return render(
        request,
        "enrolment/invitation.html",
        {
            "invitation": invitation,
            "course": course,
            "not_yours": not services.invitation_is_for(
                invitation=invitation, user=request.user
            ),
        },
    )


@login_required
def enrolment_withdraw(request, pk: int):
    enrolment = selectors.enrolment_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        services.enrolment_withdraw(enrolment=enrolment, actor=request.user)
        messages.success(
            request,
            _("You left “%(course)s”. Your progress is kept if you come back.")
            % {"course": enrolment.course.title},
        )
        return redirect("dashboard")
    return render(
        request, "enrolment/enrolment_withdraw.html", {"enrolment": enrolment}
    )


@require_POST
def progress_sync(request):
    """Progress made offline, sent by static/js/offline-progress.js as JSON
    (CSRF-checked like any POST): one answer per item, so the phone drops
    what applied or was refused and keeps the rest for later."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {"error": _("Sign in to send the progress kept on this phone.")},
            status=403,
        )
    if ratelimit.hit(
        scope="progress-sync",
        idents=[f"user:{request.user.pk}"],
        limit=SYNC_LIMIT,
        period=SYNC_PERIOD,
    ):
        response = JsonResponse({"error": _("Too many requests")}, status=429)
        response["Retry-After"] = str(SYNC_PERIOD)
        return response
    try:
        items = services.sync_batch_parse(request.body)
    except services.SyncInputError as error:
        return JsonResponse({"error": str(error.message)}, status=400)
    results = services.progress_sync(user=request.user, items=items)
    return JsonResponse({"results": results})
