"""Hypothesis settings for the property tests (``tests/**/test_*_properties.py``)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

SUITE = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""The suite's run: bounded and derandomised, so CI is quick and reproducible.
``benchmarks/fuzz.py`` runs the same properties much longer."""

TEXT_SUITE = settings(SUITE, max_examples=300)
"""Pure text functions are cheap: more examples for the same time."""
