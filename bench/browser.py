"""One person's HTTP client, from one source address, keeping its cookies:
for `make drill`'s checks across hosts and the tests behind a real proxy.
Plain http.client, one connection per request, redirects not followed."""

from __future__ import annotations

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SIGN_IN = "/en/accounts/login/"


class Browser:
    def __init__(
        self, port: int, source: str, host: str = "127.0.0.1", timeout: float = 60
    ) -> None:
        self.host = host
        self.port = port
        self.source = source
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict | None = None
    ) -> tuple[http.client.HTTPResponse, str]:
        connection = http.client.HTTPConnection(
            self.host,
            self.port,
            timeout=self.timeout,
            source_address=(self.source, 0),
        )
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content

    def csrf_token(self) -> str:
        """The sign-in form's CSRF token (and the cookie it goes with)."""
        _, page = self.request("GET", SIGN_IN)
        token = CSRF_INPUT.search(page)
        if token is None:
            raise AssertionError("the sign-in page has no CSRF token")
        return token.group(1)

    def post_sign_in(self, token: str, email: str, password: str):
        return self.request(
            "POST",
            SIGN_IN,
            {"csrfmiddlewaretoken": token, "login": email, "password": password},
        )

    def sign_in(self, email: str, password: str):
        return self.post_sign_in(self.csrf_token(), email, password)
