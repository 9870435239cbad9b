"""Property tests for the aclImdb reader: odd trees, damaged archives, no file unaccounted."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz_settings import SUITE
from tests.sources.fuzzing_aclimdb import Tree, aclimdb_inputs, check_aclimdb


@SUITE
@given(given_input=aclimdb_inputs())
def test_aclimdb_reader_accounts_for_every_review_file(
    given_input: tuple[Tree, str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    tree, kind, data = given_input
    check_aclimdb(tree, kind, data, tmp_path_factory.mktemp("acl") / "case")
