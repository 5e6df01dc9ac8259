"""The "Course editors" role: write and publish courses, modules and lessons
in every language, without waiting for a moderator. Wagtail's own groups stay
as they are: "Editors" write and submit for moderation, "Moderators" approve.
A course editor may still submit a page for moderation (Wagtail offers
"Submit for moderation" beside "Publish" where a workflow applies).

The page permissions sit on each language's course catalogue, so the role
reaches every course below them and nothing else in the page tree (the home
pages, the resources). `course_editors_ensure` is idempotent: `setup_site` and
`load_demo` run it, and running it again after adding a catalogue extends the
role to it."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import CourseIndexPage

COURSE_EDITORS = "Course editors"
PAGE_ACTIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
MEDIA_ACTIONS = (
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
)
MODEL_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def course_editors_ensure() -> Group:
    group, _ = Group.objects.get_or_create(name=COURSE_EDITORS)
    group.permissions.add(*(_permission(app, code) for app, code in MODEL_PERMISSIONS))
    page_permissions = [_permission("wagtailcore", code) for code in PAGE_ACTIONS]
    for catalogue in CourseIndexPage.objects.all():
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=catalogue, permission=permission
            )
    root = Collection.get_first_root_node()
    if root is not None:
        for app, codes in MEDIA_ACTIONS:
            for code in codes:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root, permission=_permission(app, code)
                )
    return group
