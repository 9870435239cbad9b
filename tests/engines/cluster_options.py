"""Dask options no run can honour, shared by the scoring and the ingest engine tests.

Both engines check them with :func:`reelsense.engines.dask.check_cluster_options`.
"""

from __future__ import annotations

INVALID_CLUSTER_OPTIONS: list[tuple[dict[str, object], str]] = [
    ({"workers": 0}, "workers must be 1 or more"),
    ({"scheduler": "tcp://127.0.0.1:8786", "workers": 2}, "with --scheduler"),
    ({"scheduler": "127.0.0.1:8786"}, "not an address like tcp://"),
    ({"in_flight": 0}, "in_flight must be 1 or more"),
]
"""(options, the message each must raise)."""
