from django.urls import path

from . import views

urlpatterns = [
    path(
        "lessons/<int:lesson_id>/quiz/<str:quiz_id>/",
        views.quiz_submit,
        name="quiz_submit",
    ),
    path(
        "courses/<int:course_id>/offline/",
        views.course_offline_manifest,
        name="course_offline_manifest",
    ),
]
