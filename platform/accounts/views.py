from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .forms import AccountDeleteForm, ProfileForm
from .middleware import SESSION_KEY


@csrf_exempt
@require_POST
def set_language(request):
    """The language switcher: remembers the choice (cookie for visitors,
    profile for users) and lands on the same page in that language, or on
    its translation when the page is a translated Wagtail page.

    A POST, since it changes state (a crawler or a link prefetch must not
    switch anyone's language), from a small form of buttons that works
    without JavaScript. No CSRF token: the form is on every page, and a
    token would make each page personal and uncacheable for anonymous
    visitors (relais/page_cache.py). What a forged request could do is set
    the reader's own language preference; a POST another site's page sends
    is refused on its Origin header all the same (docs/security.md)."""
    if not _same_origin(request):
        return HttpResponseForbidden()
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    next_url = request.POST.get("next") or ""
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = f"/{language}/"
    target = services.translated_url(
        path=next_url, language=language, page_id=request.POST.get("page")
    ) or translate_url(next_url, language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    # A visitor keeps the choice in the cookie alone: a session would be
    # created for it, and a visitor with one is never served a cached page.
    if request.user.is_authenticated:
        request.session[SESSION_KEY] = language
        services.user_set_language(user=request.user, language=language)
    return response


def _same_origin(request) -> bool:
    """False when the browser says the POST came from another site's page.
    Browsers send Origin with every form POST; a request without one (an
    old browser, a script) is not a cross-site page, so it is let through."""
    origin = request.headers.get("Origin")
    if origin is None:
        return request.headers.get("Sec-Fetch-Site", "same-origin") != "cross-site"
    scheme = "https" if request.is_secure() else "http"
    return origin == f"{scheme}://{request.get_host()}"


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        request.session[SESSION_KEY] = user.preferred_language or ""
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def data_export(request):
    """Download everything Relais holds about me, as JSON."""
    data = services.user_data_export(user=request.user)
    response = JsonResponse(
        data, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="relais-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_anonymise(user=request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect("/")
    return render(request, "accounts/account_delete.html", {"form": form})
