from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import offline, selectors, services
from .completion import course_completed_messages

ANSWER_PREFIX = "answer-"


@login_required
@require_POST
def quiz_submit(request, lesson_id: int, quiz_id: str):
    lesson = selectors.lesson_get_for_user(user=request.user, lesson_id=lesson_id)
    answers = {
        key.removeprefix(ANSWER_PREFIX): request.POST.getlist(key)
        for key in request.POST
        if key.startswith(ANSWER_PREFIX)
    }
    try:
        attempt = services.quiz_attempt_submit(
            user=request.user,
            lesson=lesson,
            quiz_id=quiz_id,
            answers=answers,
            submission_token=request.POST.get("submission_token", ""),
        )
    except services.QuizSubmissionError as error:
        messages.error(request, error.message)
    else:
        if attempt.passed:
            messages.success(
                request,
                _("You scored %(score)s%%: quiz passed.") % {"score": attempt.score},
            )
            if attempt.completed_course:
                course_completed_messages(
                    request, course=selectors.course_get_for_lesson(lesson=lesson)
                )
        else:
            messages.warning(
                request,
                _("You scored %(score)s%%: not passed yet.") % {"score": attempt.score},
            )
    return redirect(f"{lesson.get_url(request)}#quiz-{quiz_id}")


def course_offline_manifest(request, course_id: int):
    """The JSON list of what the phone stores to keep the course
    (courses/offline.py); `?documents=1` adds the documents. Its ETag is the
    version, so a phone checking for an edit gets a 304 when there is none."""
    course = offline.course_get_for_keeping(user=request.user, course_id=course_id)
    manifest = offline.course_offline_manifest(
        course=course,
        request=request,
        include_documents=request.GET.get("documents") == "1",
    )
    etag = f'"{manifest["version"]}-{int(manifest["documents_included"])}"'
    response: HttpResponse
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = JsonResponse(manifest)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
