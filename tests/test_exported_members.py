"""The public API is what ``__all__`` says, and each member is documented."""

from __future__ import annotations

import reelsense


def test_all_names_exist() -> None:
    for name in reelsense.__all__:
        assert hasattr(reelsense, name), name


def test_public_members_have_docstrings() -> None:
    for name in reelsense.__all__:
        member = getattr(reelsense, name)
        if callable(member) and not name.startswith("_"):
            assert member.__doc__, f"reelsense.{name} has no docstring"
