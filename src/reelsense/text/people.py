"""Splitting a username into a display name and personal data (pure).

Crawled usernames sometimes carry the reviewer's e-mail address:
``Aino Mäkeläinen (aino80@example.com)``. The address is personal data, so
it is split off and the display name never contains it, nor its domain.
A username that is only an address has no display name at all: the local
part of an address (``aino80``) often identifies the person too.
"""

from __future__ import annotations

import re

__all__ = ["find_email", "split_username"]

# ``?`` may stand for a character lost upstream, also inside an address.
_EMAIL_RE = re.compile(
    r"[A-Za-z0-9._%+\-?'!#$&*=^`{|}~]+@(?:[A-Za-z0-9?](?:[A-Za-z0-9\-?]*[A-Za-z0-9?])?\.)+"
    r"[A-Za-z?]{2,24}"
)
# Brackets or separators left around the place the address was cut from.
_EMPTY_BRACKETS_RE = re.compile(r"[(\[<{]\s*[)\]>}]")
_EDGE_JUNK = " \t\n\r\f\v-–—,;:|/"
_SPACE_RE = re.compile(r"\s+")
_WRAPPED_RE = re.compile(r"^[(\[<{]([^()\[\]<>{}]*)[)\]>}]$")
_MISSING = frozenset({"", "null", "none"})


def find_email(text: str) -> str | None:
    """The first e-mail address in ``text``, or ``None``.

    Example
    -------
    >>> find_email("Ann Lee (ann@x.org)")
    'ann@x.org'
    """
    match = _EMAIL_RE.search(text)
    return match.group(0).rstrip(".") if match else None


def split_username(raw: str | None) -> tuple[str | None, str | None]:
    """``"Ann Lee (ann@x.org)"`` → ``("Ann Lee", "ann@x.org")``.

    Whitespace is tidied; the crawler's literal ``null`` (and an empty
    name) means no username at all. Every address is removed from the
    display name with the brackets around it; the first one is returned as
    the e-mail. A username that was only an address gets no display name.
    Text in brackets that is not an address (``Rowan Hale
    (halefilmnotes)``) stays part of the name. ``?`` for characters lost
    upstream is kept (``?ivind Br?ten``).

    Parameters
    ----------
    raw:
        The username as read, or ``None``.

    Returns
    -------
    tuple[str | None, str | None]
        ``(display_name, email)``, each ``None`` when absent.

    Example
    -------
    >>> split_username("  Aino Mäkeläinen (aino80@example.com) ")
    ('Aino Mäkeläinen', 'aino80@example.com')
    >>> split_username("joe@example.com")
    (None, 'joe@example.com')
    >>> split_username("null")
    (None, None)
    """
    if raw is None:
        return None, None
    text = _SPACE_RE.sub(" ", raw).strip()
    if text.lower() in _MISSING:
        return None, None
    matches = list(_EMAIL_RE.finditer(text))
    if not matches:
        return text, None
    email = matches[0].group(0).rstrip(".")
    name = _EMAIL_RE.sub(" ", text)
    name = _EMPTY_BRACKETS_RE.sub(" ", name)
    name = _SPACE_RE.sub(" ", name).strip(_EDGE_JUNK)
    wrapped = _WRAPPED_RE.match(name)
    if wrapped:  # ``ann@x.org (Ann Lee)``
        name = wrapped.group(1).strip(_EDGE_JUNK)
    if "@" in name or name.lower() in _MISSING:
        return None, email
    domain = email.rsplit("@", 1)[1].lower()
    if domain in name.lower():
        return None, email
    return name, email
