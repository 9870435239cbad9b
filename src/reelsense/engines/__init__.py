"""Engines run the same analysis in-process or on a cluster.

:class:`DaskEngine` is imported on first use, so ``import reelsense`` never
imports dask (an optional extra: ``pip install 'reelsense[dask]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reelsense.engines.base import Engine
from reelsense.engines.local import LocalEngine

if TYPE_CHECKING:
    from reelsense.engines.dask import DaskEngine

__all__ = ["DaskEngine", "Engine", "LocalEngine"]


def __getattr__(name: str) -> Any:
    if name == "DaskEngine":
        from reelsense.engines.dask import DaskEngine

        return DaskEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
