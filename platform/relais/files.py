"""Private files (certificate PDFs, exports, cohort ZIPs) leave Relais only
through views that check who asks; this marks their responses so that no
shared cache (a proxy, a CDN) keeps a copy for the next person. And the
errors of a store that is unavailable, local folder or S3 (docs/storage.md)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from botocore.exceptions import ConnectionError as S3ConnectionError
from botocore.exceptions import HTTPClientError as S3HTTPClientError
from django.http import HttpRequest, HttpResponseBase

# What a store that is down or slow raises, worth a retry: a folder's OSError,
# or an S3 store's connection errors and timeouts (botocore raises its own,
# which are no OSError). An S3 answer (ClientError: 403, 404) is not among
# them: it would come again; botocore already retries an S3 store's 5xx.
STORAGE_UNAVAILABLE: tuple[type[Exception], ...] = (
    OSError,
    S3ConnectionError,
    S3HTTPClientError,
)


def private_download(view: Callable[..., HttpResponseBase]):
    """`Cache-Control: private, no-store` on the view's answer (the
    attachment and the `nosniff` header come from FileResponse and
    SecurityMiddleware)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped
