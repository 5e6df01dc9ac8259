from wagtail import hooks

from . import page_cache


# A high order puts this innermost in the serve chain: Wagtail's own view
# restriction check (order 0) has already let the request through.
@hooks.register("on_serve_page", order=1000)
def cache_anonymous_page(next_serve_page):
    """Mark anonymous views of opted-in pages as cacheable (relais.page_cache)."""

    def serve(page, request, args, kwargs):
        response = next_serve_page(page, request, args, kwargs)
        if page_cache.page_is_cacheable(page):
            page_cache.mark_cacheable(request)
        return response

    return serve
