"""Exports of stored reviews and insight: the self-contained HTML report."""

from reelsense.export.report import render_report, write_report

__all__ = ["render_report", "write_report"]
