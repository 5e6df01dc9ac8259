from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("courses/<int:course_id>/enrol/", views.course_enrol, name="course_enrol"),
    path("enrol/key/", views.enrol_key, name="enrol_key"),
    path("lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("progress/sync/", views.progress_sync, name="progress_sync"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path(
        "enrolments/<int:pk>/withdraw/",
        views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
]
