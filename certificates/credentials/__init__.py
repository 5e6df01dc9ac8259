"""Open Badges 3.0 credentials beside certificates: documents.py builds the
JSON, keys.py and sign.py sign it, issue.py stores it and keeps the status
list, verify.py checks one. See docs/credentials.md."""

from .issue import (
    credential_current,
    credential_issue,
    credentials_erase,
    status_list_token,
)
from .verify import NotACredential, Verdict, credential_verify

__all__ = [
    "NotACredential",
    "Verdict",
    "credential_current",
    "credential_issue",
    "credential_verify",
    "credentials_erase",
    "status_list_token",
]
