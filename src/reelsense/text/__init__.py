"""Pure text functions: normalisation, glued-sentence repair, sentence
splitting, username/e-mail split and stated-rating extraction. No I/O."""

from __future__ import annotations

from reelsense.text.normalize import PARAGRAPH_BREAK, normalize_text, strip_markup
from reelsense.text.people import find_email, split_username
from reelsense.text.ratings import extract_stated_rating, find_stated_ratings, scale_rating
from reelsense.text.sentences import (
    count_glued,
    glued_positions,
    repair_glued,
    sentence_spans,
    split_sentences,
)

__all__ = [
    "PARAGRAPH_BREAK",
    "count_glued",
    "extract_stated_rating",
    "find_email",
    "find_stated_ratings",
    "glued_positions",
    "normalize_text",
    "repair_glued",
    "scale_rating",
    "sentence_spans",
    "split_sentences",
    "split_username",
    "strip_markup",
]
