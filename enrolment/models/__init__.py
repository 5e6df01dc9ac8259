"""Enrolment's models, one module per concern: enrolments (cohorts,
enrolments, events, progress, invitations), imports, requests, sync (progress made offline)."""

from .enrolments import Cohort, Enrolment, EnrolmentEvent, Invitation, LessonProgress
from .imports import ImportJob, ImportRow, _private_storage
from .requests import EnrolmentRequest
from .sync import SyncedItem

__all__ = [
    "Cohort",
    "Enrolment",
    "EnrolmentEvent",
    "EnrolmentRequest",
    "ImportJob",
    "ImportRow",
    "Invitation",
    "LessonProgress",
    "SyncedItem",
    "_private_storage",
]
