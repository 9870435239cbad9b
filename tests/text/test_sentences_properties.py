"""Property tests for glued-sentence repair and sentence splitting on arbitrary text."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz_settings import TEXT_SUITE
from tests.text.fuzzing import check_sentences, sentence_texts


@TEXT_SUITE
@given(sentence_texts())
def test_repair_only_inserts_spaces_and_splitting_loses_no_character(text: str) -> None:
    check_sentences(text)
