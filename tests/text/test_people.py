"""Tests for reelsense.text.people."""

from __future__ import annotations

import pytest

from reelsense.text.people import find_email, split_username


def test_split_username_separates_email_in_brackets() -> None:
    assert split_username("Aino Mäkeläinen (aino80@example.com)") == (
        "Aino Mäkeläinen",
        "aino80@example.com",
    )


def test_split_username_keeps_bracketed_text_that_is_not_an_email() -> None:
    assert split_username("Rowan Hale (halefilmnotes)") == (
        "Rowan Hale (halefilmnotes)",
        None,
    )


def test_split_username_gives_no_display_name_for_a_bare_email() -> None:
    assert split_username("joe@example.com") == (None, "joe@example.com")
    assert split_username("(joe@example.com)") == (None, "joe@example.com")


@pytest.mark.parametrize("raw", [None, "", "   ", "null", "NULL", " null "])
def test_split_username_treats_missing_values_as_none(raw: str | None) -> None:
    assert split_username(raw) == (None, None)


def test_split_username_keeps_question_marks_from_lost_characters() -> None:
    assert split_username("?ivind Br?ten (oivind7@example.no)") == (
        "?ivind Br?ten",
        "oivind7@example.no",
    )


def test_split_username_tidies_whitespace() -> None:
    assert split_username("  Ann \t  Lee  ") == ("Ann Lee", None)
    assert split_username(" Ann   Lee  ( ann@x.org ) ") == ("Ann Lee", "ann@x.org")


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Ann Lee <ann@x.org>", "Ann Lee"),
        ("Ann Lee - ann@x.org", "Ann Lee"),
        ("ann@x.org (Ann Lee)", "Ann Lee"),
        ("Ann (film fan) (ann@x.org)", "Ann (film fan)"),
    ],
)
def test_split_username_handles_other_layouts(raw: str, name: str) -> None:
    assert split_username(raw) == (name, "ann@x.org")


def test_split_username_never_leaks_the_email_or_its_domain() -> None:
    name, email = split_username("fan of x.org (ann@x.org)")
    assert email == "ann@x.org"
    assert name is None


def test_split_username_first_address_is_kept_and_all_are_removed() -> None:
    name, email = split_username("Ann (a@x.org) (b@y.org)")
    assert (name, email) == ("Ann", "a@x.org")


def test_find_email_finds_or_returns_none() -> None:
    assert find_email("write to bo.k+films@mail.example.dk.") == "bo.k+films@mail.example.dk"
    assert find_email("no address here @ all") is None
