"""Staff re-authentication before actions that cannot be undone or that take
personal data out of Relais (docs/security.md "Two factors")."""

from allauth.account.decorators import reauthentication_required


def staff_reauthentication_required(view=None, *, allow_get: bool = False):
    """Ask the signed-in person to confirm it is them (password, or their
    second factor) unless they did so in the last
    ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (allauth's default: 5 minutes).

    Put it inside the view's own access check, so that outsiders still get
    that check's answer (403 or the sign-in page) and are never asked for a
    password. A refused POST is kept and replayed once confirmed, so the
    action is not lost. allow_get=True lets a confirmation page (GET) show
    and asks only when its form is sent; leave it off for downloads."""
    decorator = reauthentication_required(allow_get=allow_get)
    return decorator(view) if view is not None else decorator


def _confirmed(request):
    return None


def staff_reauthentication_check(request) -> None:
    """The same rule for code that is not a view (a Wagtail hook): raises
    allauth's ReauthenticationRequired, which its AccountMiddleware answers
    with the re-authentication page, replaying the request afterwards."""
    staff_reauthentication_required(_confirmed)(request)
