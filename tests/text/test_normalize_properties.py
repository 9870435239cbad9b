"""Property tests for reelsense.text.normalize: whitespace rules hold for any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reelsense.text.normalize import PARAGRAPH_BREAK, normalize_text
from tests.fuzz_settings import TEXT_SUITE

# Words with no whitespace, tags or entities in them.
_WORDS = st.lists(
    st.text(
        st.characters(blacklist_categories=("Z", "C"), blacklist_characters="<>&"),
        min_size=1,
        max_size=6,
    ),
    min_size=1,
    max_size=8,
)
# Horizontal whitespace as plain spaces, and as other characters that also mean a space.
_PLAIN_GAP = st.text(st.just(" "), min_size=1, max_size=3)
_OTHER_GAP = st.text(st.sampled_from(" \t\u00a0\u2003\x0b\x0c"), min_size=1, max_size=3)


@TEXT_SUITE
@given(words=_WORDS, data=st.data())
def test_any_spelling_of_a_space_gives_the_same_text(words: list[str], data: st.DataObject) -> None:
    plain = "".join(w + data.draw(_PLAIN_GAP) for w in words)
    other = "".join(w + data.draw(_OTHER_GAP) for w in words)
    assert normalize_text(plain) == normalize_text(other) == " ".join(words)


@TEXT_SUITE
@given(paragraphs=st.lists(_WORDS, min_size=1, max_size=4), data=st.data())
def test_breaks_and_blank_lines_give_one_paragraph_break(
    paragraphs: list[list[str]], data: st.DataObject
) -> None:
    # Within a paragraph a line end is a space; between paragraphs any mix of
    # <br />, blank lines and stray spaces is one break.
    separators = st.sampled_from(["<br />", "<br /><br />", "\n\n", " \n \n ", "\n\t\n", "<p>"])
    raw = data.draw(separators).join(" \n".join(words) for words in paragraphs)
    expected = PARAGRAPH_BREAK.join(" ".join(words) for words in paragraphs)
    assert normalize_text(raw) == expected


@TEXT_SUITE
@given(text=st.text(max_size=40))
def test_result_has_no_ragged_whitespace(text: str) -> None:
    result = normalize_text(text)
    assert result == result.strip()
    for paragraph in result.split(PARAGRAPH_BREAK):
        assert paragraph == " ".join(paragraph.split())
