"""Exports of stored reviews and insight: the self-contained HTML report, and tables
(CSV, JSON Lines, Parquet, XLSX) and crawler files (XML) written by :func:`export`."""

from reelsense.export.exporter import FORMATS, ExportReport, Format, export
from reelsense.export.filters import ExportFilters, resolve_movies
from reelsense.export.report import render_report, write_report
from reelsense.export.rows import WHATS, What

__all__ = [
    "FORMATS",
    "WHATS",
    "ExportFilters",
    "ExportReport",
    "Format",
    "What",
    "export",
    "render_report",
    "resolve_movies",
    "write_report",
]
