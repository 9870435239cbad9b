"""The checks schemathesis runs on every response, shared by the suite and the long run."""

from __future__ import annotations

from typing import Any

from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks as openapi_checks

CHECKS = [
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
"""Every response: no 5xx, and the documented status code, content type and body schema."""


def negative_data_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis' negative-data check, also counting 413/414 (too large to read) as
    a refusal: the check only knows the codes of parameter validation."""
    if response.status_code in (413, 414):
        return None
    result: bool | None = openapi_checks.negative_data_rejection(ctx, response, case)
    return result
