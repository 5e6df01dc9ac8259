"""The security headers' settings, read by base.py: what every response may
load (Content-Security-Policy, django-csp through relais.csp) and which
browser features it may use (Permissions-Policy). Each value is explained in
docs/security.md "Headers"."""

# Content-Security-Policy (django-csp, through relais.csp); each value is
# explained in docs/security.md "Headers". Everything comes from this host;
# no inline script or style: Relais's own code and styles are files in static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Added on Wagtail's admin URLs only (its page preview included), which need
# them: inline scripts Wagtail writes without a nonce (date pickers, scripts
# its JavaScript re-inserts), inline styles, and data: images in its CSS.
RELAIS_ADMIN_CSP_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
}
# Browser features no Relais page uses, refused to the page and to anything
# it frames (django-permissions-policy; docs/security.md "Headers").
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}
