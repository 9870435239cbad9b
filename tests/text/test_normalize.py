"""Tests for reelsense.text.normalize."""

from __future__ import annotations

import time

import pytest

from reelsense.text.normalize import PARAGRAPH_BREAK, normalize_text, strip_markup


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("Tom &amp Jerry", "Tom & Jerry"),
        ("Bo&#x107; and Ko&#263;", "Boć and Koć"),
        ("&quot;Quoted&quot; &lt;3", '"Quoted" <3'),
        ("double &amp;#x107; escaped", "double ć escaped"),
    ],
)
def test_normalize_text_decodes_entities(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_text_drops_inline_tags() -> None:
    raw = 'A <i>fine</i> and <b>bold</b> <a href="http://x.org/a">link</a> here'
    assert normalize_text(raw) == "A fine and bold link here"


@pytest.mark.parametrize("tag", ["<br />", "<br>", "<BR/>", "<p>", "</p><p>", "<br /><br />"])
def test_normalize_text_turns_break_tags_into_one_paragraph_break(tag: str) -> None:
    assert normalize_text(f"First part.{tag}Second part.") == "First part.\n\nSecond part."


def test_normalize_text_collapses_spaces_and_tabs() -> None:
    assert normalize_text("  too \t\t many   spaces\u00a0here ") == "too many spaces here"


def test_normalize_text_keeps_paragraphs_and_joins_wrapped_lines() -> None:
    raw = "line one\nstill one\n\n\n  next paragraph \r\n\r\n last"
    assert normalize_text(raw) == "line one still one\n\nnext paragraph\n\nlast"


def test_normalize_text_strips_leading_and_trailing_breaks() -> None:
    assert normalize_text("<br /><br />Body text<br />") == "Body text"


def test_normalize_text_keeps_question_marks_for_lost_characters() -> None:
    assert normalize_text("S?erne and Drasb?k, ?") == "S?erne and Drasb?k, ?"


def test_normalize_text_leaves_angle_brackets_that_are_not_tags() -> None:
    assert normalize_text("I <3 it and x<y or y>z") == "I <3 it and x<y or y>z"


def test_normalize_text_removes_invisible_characters() -> None:
    assert normalize_text("zero\u200bwidth\ufeff and\x00 nul") == "zerowidth and nul"


def test_normalize_text_of_empty_and_blank_input_is_empty() -> None:
    assert normalize_text("") == ""
    assert normalize_text(" \n\n\t<br />") == ""


def test_normalize_text_is_idempotent() -> None:
    once = normalize_text("A &amp; B<br /><br /> <i>c</i>\t d")
    assert normalize_text(once) == once


def test_strip_markup_removes_tags_without_tidying() -> None:
    assert strip_markup("a <em>b</em>  c<br/>d") == "a b  c" + PARAGRAPH_BREAK + "d"
    assert strip_markup("no tags &amp; here") == "no tags &amp; here"


def test_normalize_text_has_no_pathological_slowness_on_short_texts() -> None:
    # A guard against regex backtracking, not a benchmark: the bound is 10x below the
    # measured rate so a loaded machine cannot fail it.
    texts = [
        f"Review {i}: a fine &amp; tense film.<br /><br />The lead is <i>great</i>.  8/10"
        for i in range(5000)
    ]
    start = time.perf_counter()
    for text in texts:
        normalize_text(text)
    rate = len(texts) / (time.perf_counter() - start)
    assert rate > 2_000, f"only {rate:.0f} texts/s"
