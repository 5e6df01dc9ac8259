"""The staff's report pages (pages.py) and their exports (downloads.py)."""

from .downloads import export, export_download, export_jobs
from .pages import cascades, certificates, completion, enrolments, index

__all__ = [
    "cascades",
    "certificates",
    "completion",
    "enrolments",
    "export",
    "export_download",
    "export_jobs",
    "index",
]
