"""Property tests for the crawler reader: hostile bytes never crash it and no line goes missing."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz_settings import SUITE
from tests.sources.fuzzing import check_crawler, crawler_bytes


@SUITE
@given(crawler_bytes())
def test_crawler_reader_survives_damaged_files_and_accounts_for_every_line(data: bytes) -> None:
    check_crawler(data)
