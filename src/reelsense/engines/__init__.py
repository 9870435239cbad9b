"""Engines run the same analysis in-process or on a cluster."""

from reelsense.engines.base import Engine
from reelsense.engines.local import LocalEngine

__all__ = ["Engine", "LocalEngine"]
