from django.conf import settings


def site(request):
    return {"SITE_NAME": "Relais", "SITE_URL": settings.SITE_URL}


def save_data(request):
    """Low-data mode (docs/low-data.md): the browser's Save-Data header or the
    participant's profile choice leaves lesson images out."""
    if request.headers.get("Save-Data", "").strip().lower() == "on":
        return {"save_data": True}
    user = getattr(request, "user", None)
    return {"save_data": bool(user and getattr(user, "save_data", False))}
