"""Property tests for the tabular reader: damaged tables never crash it and no row goes missing."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz_settings import SUITE
from tests.sources.fuzzing_tabular import check_tabular, csv_bytes, jsonl_bytes, parquet_bytes


@SUITE
@given(data=csv_bytes())
def test_csv_reader_accounts_for_every_row(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_tabular(data, ".csv", tmp_path_factory.mktemp("csv"))


@SUITE
@given(data=csv_bytes("\t"))
def test_tsv_reader_accounts_for_every_row(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_tabular(data, ".tsv", tmp_path_factory.mktemp("tsv"))


@SUITE
@given(data=jsonl_bytes())
def test_jsonl_reader_accounts_for_every_line(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_tabular(data, ".jsonl", tmp_path_factory.mktemp("jsonl"))


@SUITE
@given(data=parquet_bytes())
def test_parquet_reader_accounts_for_every_row(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_tabular(data, ".parquet", tmp_path_factory.mktemp("parquet"))
