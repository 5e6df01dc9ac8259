"""A page type added where it cannot go, said in words.

Wagtail's admin refuses "add a lesson under the catalogue" with its general
"Sorry, you do not have permission to access this area" (the create view
raises PermissionDenied, which the admin turns into that message). Before
that view runs, this middleware answers such a request with a page that says
which page types go where (catalogue → course → module → lesson). Any other
request, and anyone who cannot use the admin, goes on to Wagtail as before."""

from __future__ import annotations

from django.apps import apps
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

ADD_PAGE_VIEW = "wagtailadmin_pages:add"


class AdminPageTypeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name != ADD_PAGE_VIEW:
            return None
        user = request.user
        if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
            return None
        refused = refused_page_type(view_kwargs)
        if refused is None:
            return None
        page_class, parent = refused
        return render(
            request,
            "wagtailadmin/relais_page_type_refused.html",
            {
                "header_title": _("This page cannot go here"),
                "page_type": page_class._meta.verbose_name,
                "parent": parent,
                "parent_type": parent.specific_class._meta.verbose_name,
                "allowed_parents": [
                    model._meta.verbose_name
                    for model in page_class.allowed_parent_page_models()
                ],
                "description": page_class.get_page_description(),
            },
            status=403,
        )


def refused_page_type(kwargs) -> tuple[type[Page], Page] | None:
    """(page class, parent page) when the add view's arguments name a page
    type that cannot be created under that parent; None otherwise (an
    unknown type or parent is left to Wagtail's own 404)."""
    try:
        page_class = apps.get_model(
            kwargs["content_type_app_name"], kwargs["content_type_model_name"]
        )
        parent = Page.objects.get(pk=kwargs["parent_page_id"])
    except (KeyError, LookupError, ValueError, Page.DoesNotExist):
        return None
    if not issubclass(page_class, Page) or page_class.can_create_at(parent):
        return None
    return page_class, parent
