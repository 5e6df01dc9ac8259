"""Read-only aggregates for the reports, the exports and the impact page.

Every function takes `ReportFilters` and runs a fixed number of queries,
whatever the data size. The period filter applies to the date of what is
counted: enrolment date for enrolments (and completion rates), completion
date for completions, issue/revoke date for certificates.

Split by topic (`scope`: filters and tables; `enrolments`, `completion`,
`certificates`, `impact`); import from here: `from reports import selectors`.
How the figures are cached: `cached_for_filters` below and docs/reports.md."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

from django.utils.translation import get_language

from relais import caching

from ..cascade import cascade_summary
from ..filters import ReportFilters
from .certificates import (
    CERT_ISSUED,
    CERT_PENDING,
    CERT_REVOKED,
    certificate_counts,
    certificates_over_time,
)
from .completion import completion_by_course, module_dropoff
from .enrolments import (
    COUNT_COLUMNS,
    DIMENSION_KEYS,
    DIMENSIONS,
    PAGED_DIMENSIONS,
    STATUS_COUNTS,
    activity_over_time,
    enrolment_counts,
    enrolments_by_country,
    institution_spellings,
)
from .impact import (
    IMPACT_CACHE_SECONDS,
    impact_numbers,
    impact_numbers_cached,
)
from .scope import (
    INSTITUTION_KEY,
    TRUNCS,
    Table,
    certificate_scope,
    enrolment_scope,
    period_label,
    sort_rows,
)

# Report data (tables, charts, drop-off, cascade reach) is cached per filter
# set, arguments and language, under the versions of the data groups it
# counts (`relais.caching`): the services that change those groups drop it.
# What no service announces (a profile's country edited, a row changed by
# hand in the Django admin) shows within this many seconds. 0 turns it off.
CHART_CACHE_SECONDS = 120

# What the figures count unless a page says otherwise.
DEFAULT_GROUPS = ("enrolments", "progress", "certificates")


def cached_for_filters(
    function: Callable,
    filters: ReportFilters,
    *,
    depends_on: Iterable[str] = DEFAULT_GROUPS,
    **kwargs,
):
    """`function(filters, **kwargs)`, cached per filter set, arguments and
    language (labels are translated), and dropped when a group it
    `depends_on` changes (`relais.caching.changed`). A cache outage only
    costs the queries."""
    fingerprint = json.dumps(
        [filters.to_json(), kwargs], sort_keys=True, default=str
    ).encode()
    key = (
        f"reports:chart:{function.__name__}:{get_language() or ''}:"
        f"{hashlib.sha256(fingerprint).hexdigest()[:32]}"
    )
    return caching.cached(
        key,
        lambda: function(filters, **kwargs),
        depends_on=depends_on,
        timeout=CHART_CACHE_SECONDS,
    )


__all__ = [
    "CERT_ISSUED",
    "CERT_PENDING",
    "CERT_REVOKED",
    "CHART_CACHE_SECONDS",
    "COUNT_COLUMNS",
    "DEFAULT_GROUPS",
    "DIMENSIONS",
    "DIMENSION_KEYS",
    "IMPACT_CACHE_SECONDS",
    "INSTITUTION_KEY",
    "PAGED_DIMENSIONS",
    "STATUS_COUNTS",
    "TRUNCS",
    "Table",
    "activity_over_time",
    "cached_for_filters",
    "cascade_summary",
    "certificate_counts",
    "certificate_scope",
    "certificates_over_time",
    "completion_by_course",
    "enrolment_counts",
    "enrolment_scope",
    "enrolments_by_country",
    "impact_numbers",
    "impact_numbers_cached",
    "institution_spellings",
    "module_dropoff",
    "period_label",
    "sort_rows",
]
