from django.urls import path

from . import attendee_views, checkin_views, views

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
    path(
        "trainer/sessions/<int:pk>/attendees/add/",
        attendee_views.attendee_add,
        name="trainer_attendee_add",
    ),
    path(
        "trainer/sessions/<int:pk>/attendees/<int:attendee_pk>/edit/",
        attendee_views.attendee_edit,
        name="trainer_attendee_edit",
    ),
    path(
        "trainer/sessions/<int:pk>/attendees/<int:attendee_pk>/remove/",
        attendee_views.attendee_remove,
        name="trainer_attendee_remove",
    ),
    path(
        "trainer/sessions/<int:pk>/attendees/confirm/",
        attendee_views.attendees_confirm,
        name="trainer_attendees_confirm",
    ),
    path(
        "trainer/sessions/<int:pk>/checkin/open/",
        checkin_views.session_checkin_open,
        name="trainer_session_checkin_open",
    ),
    path(
        "trainer/sessions/<int:pk>/checkin/close/",
        checkin_views.session_checkin_close,
        name="trainer_session_checkin_close",
    ),
    path(
        "trainer/sessions/<int:pk>/checkin/live/",
        checkin_views.session_checkin_live,
        name="trainer_session_checkin_live",
    ),
    path(
        "trainer/sessions/<int:pk>/sign-in-sheet.pdf",
        checkin_views.session_sign_in_sheet,
        name="trainer_session_sign_in_sheet",
    ),
    path(
        "trainer/sessions/<int:pk>/attendees/typed-sheet/",
        checkin_views.session_attendees_add,
        name="trainer_session_attendees_add",
    ),
    # An attendee's pages: no account needed (the code is the key).
    path("checkin/", checkin_views.checkin_enter, name="checkin_enter"),
    path("checkin/<str:code>/", checkin_views.session_checkin, name="session_checkin"),
]
