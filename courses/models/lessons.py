"""Modules, lessons and quiz attempts."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import LessonStreamBlock
from ..page_forms import CoursePageForm
from .courses import CoursePage


class ModulePage(Page):
    summary = models.TextField(_("summary"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("summary")]
    page_description = _(
        "A part of a course, added in the course; it holds lessons. Pages go: "
        "catalogue → course → module → lesson."
    )
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    base_form_class = CoursePageForm
    template = "courses/module_page.html"

    class Meta:
        verbose_name = _("module")

    def get_course(self) -> CoursePage:
        return CoursePage.objects.ancestor_of(self).get()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            course=self.get_course(),
            lessons=list(
                LessonPage.objects.child_of(self)
                .live()
                .defer_streamfields()
                .order_by("path")
            ),
        )
        return context


class LessonPage(Page):
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=15)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)

    search_fields = Page.search_fields + [index.SearchField("body")]
    content_panels = Page.content_panels + [
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    page_description = _(
        "A lesson (text, media, quizzes), added in a module. Pages go: "
        "catalogue → course → module → lesson."
    )
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    base_form_class = CoursePageForm
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    def get_course(self) -> CoursePage:
        return CoursePage.objects.ancestor_of(self).get()

    @property
    def quizzes(self):
        return [block for block in self.body if block.block_type == "quiz"]

    def serve(self, request, *args, **kwargs):
        """Lessons are for the people `can_view_lesson` lets in: visitors are
        sent to sign in, others get a 403 that leads back to the syllabus.
        (Editors' previews go through serve_preview, which skips this.)"""
        from .. import access, selectors

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        course = selectors.course_get_for_lesson(lesson=self)
        grant = access.lesson_access(request.user, self, course)
        if not grant:
            return TemplateResponse(
                request,
                "courses/lesson_forbidden.html",
                {"page": self, "course": course},
                status=403,
            )
        request._relais_course = course
        request._relais_lesson_grant = grant
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .. import access, offline, selectors

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        course = getattr(request, "_relais_course", None)
        if course is None:
            course = selectors.course_get_for_lesson(lesson=self)
        outline = selectors.course_outline_cached(course=course)
        previous, following = selectors.lesson_neighbours(lesson=self, outline=outline)
        progress = None
        if user.is_authenticated:
            # A phone keeping the course fetched this lesson: not a reading
            # (passed only then, so providers without the argument still work).
            keeping = {"reading": False} if offline.is_keep_request(request) else {}
            progress = access.lesson_progress_provider.call(
                default=None,
                user=user,
                course=course,
                lesson=self,
                grant=getattr(request, "_relais_lesson_grant", None),
                **keeping,
            )
        quiz_results = selectors.quiz_results_for(user=user, lesson=self, course=course)
        context.update(
            course=course,
            outline=outline,
            previous_lesson=previous,
            next_lesson=following,
            progress=progress,
            done_lesson_ids=(progress or {}).get("done_lesson_ids") or set(),
            quiz_results=quiz_results,
            quiz_tokens={
                quiz_id: secrets.token_urlsafe(24) for quiz_id in quiz_results
            },
        )
        return context


class QuizAttempt(models.Model):
    """One submitted attempt at a quiz block of a lesson. Scored on the server."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz_id = models.CharField(max_length=64, help_text="The quiz block's id.")
    attempt_number = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField(help_text="Percent, 0-100.")
    passed = models.BooleanField(default=False)
    answers = models.JSONField(default=dict)
    submission_token = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not stored: set by courses.services.quiz_attempt_submit on the attempt it
    # returns, True when this pass completed the course.
    completed_course = False

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "quiz_id", "attempt_number"],
                name="quizattempt_unique_number",
            ),
            models.UniqueConstraint(
                fields=["user", "submission_token"], name="quizattempt_unique_token"
            ),
        ]
        indexes = [models.Index(fields=["user", "lesson", "quiz_id"])]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.lesson_id} #{self.attempt_number}: {self.score}%"
