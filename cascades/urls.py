from django.urls import path

from . import views

urlpatterns = [
    path("trainer/", views.trainer_home, name="trainer_home"),
    path("trainer/cascade/", views.cascade, name="trainer_cascade"),
    path("trainer/cohorts/new/", views.cohort_open, name="trainer_cohort_open"),
    path("trainer/cohorts/<int:pk>/", views.cohort_detail, name="trainer_cohort"),
    path(
        "trainer/cohorts/<int:pk>/invite/",
        views.cohort_invite,
        name="trainer_cohort_invite",
    ),
    path(
        "trainer/cohorts/<int:pk>/participants/<int:enrolment_pk>/",
        views.participant_detail,
        name="trainer_participant",
    ),
    path(
        "trainer/cohorts/<int:pk>/sessions/new/",
        views.session_record,
        name="trainer_session_record",
    ),
    path("trainer/sessions/<int:pk>/", views.session_detail, name="trainer_session"),
    path(
        "trainer/sessions/<int:pk>/certificates/",
        views.session_certificates,
        name="trainer_session_certificates",
    ),
]
