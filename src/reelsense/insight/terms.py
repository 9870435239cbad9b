"""Terms distinctive to a set of reviews: weighted log-odds with an informative Dirichlet prior.

Monroe, Colaresi & Quinn (2008), "Fightin' Words: Lexical Feature Selection
and Evaluation for Identifying the Content of Political Conflict", section
3.5. For each term ``w`` with count ``y_a`` in the target (``n_a`` terms in
all) and ``y_b`` in the background (``n_b``), and a prior ``α_w`` (total
``α_0``)::

    δ_w = log((y_a + α_w) / (n_a + α_0 − y_a − α_w)) − log((y_b + α_w) / (n_b + α_0 − y_b − α_w))
    σ²_w ≈ 1 / (y_a + α_w) + 1 / (y_b + α_w)
    z_w = δ_w / σ_w

The prior is the pooled counts of both corpora (``α_w = prior_scale · (y_a +
y_b)``), as in tidylo's ``bind_log_odds``: rare terms are shrunk toward the
pooled rate, so a word said twice in one film does not beat one said by
hundreds of reviewers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

__all__ = ["DistinctiveTerm", "TermCounts", "distinctive_terms", "weighted_log_odds"]

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
"""A word: letters, with inner apostrophes (``don't``); digits and punctuation split words."""

NEGATIONS = frozenset({"not", "no", "never", "nothing", "nor"})
"""Kept as the first word of a bigram (``not funny``) but never counted alone."""

_STOP_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both br but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever every few for from further get gets got had
    hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's
    like made make makes me might more most much must mustn't my myself now of off on once one
    only or other ought our ours ourselves out over own quite really same say says see seen she
    she'd she'll she's should shouldn't so some still such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those though
    through to too under until up upon us very was wasn't way we we'd we'll we're we've well were
    weren't what what's when when's where where's which while who who's whom why why's will with
    won't would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
    film films movie movies watch watched watching time times thing things lot
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
"""English function words, HTML residue (``br``) and words every review uses (``movie``)."""

_EXCLUDED = STOP_WORDS | NEGATIONS


class DistinctiveTerm(NamedTuple):
    """A term, its log-odds z-score (how distinctive) and how often it occurs in the target."""

    term: str
    z_score: float
    occurrences: int


@dataclass
class TermCounts:
    """Unigram and bigram counts of a set of texts, built one text at a time.

    ``documents`` counts how many texts used each term (kept only with
    ``track_documents=True``).
    """

    track_documents: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    documents: Counter[str] = field(default_factory=Counter)
    texts: int = 0

    def add(self, text: str) -> None:
        """Count the terms of one text."""
        tokens = WORD.findall(text.lower().replace("’", "'"))
        kept = [t if len(t) > 1 and t not in _EXCLUDED else "" for t in tokens]
        unigrams = [t for t in kept if t]
        firsts = [k or (t if t in NEGATIONS else "") for k, t in zip(kept, tokens, strict=True)]
        bigrams = [f"{x} {y}" for x, y in zip(firsts, kept[1:], strict=False) if x and y]
        self.counts.update(unigrams)
        self.counts.update(bigrams)
        if self.track_documents:
            self.documents.update(set(unigrams).union(bigrams))
        self.texts += 1

    def update(self, texts: Iterable[str]) -> TermCounts:
        """Count the terms of many texts; returns ``self``."""
        for text in texts:
            self.add(text)
        return self

    def merged(self, other: TermCounts) -> TermCounts:
        """A new :class:`TermCounts` with the counts of both."""
        both = TermCounts(track_documents=self.track_documents and other.track_documents)
        both.counts = self.counts + other.counts
        if both.track_documents:
            both.documents = self.documents + other.documents
        both.texts = self.texts + other.texts
        return both

    @property
    def total(self) -> int:
        """All term occurrences counted."""
        return sum(self.counts.values())


def weighted_log_odds(
    target: TermCounts,
    background: TermCounts,
    *,
    n: int = 15,
    min_count: int = 3,
    min_documents: int = 2,
    prior_scale: float = 1.0,
) -> list[DistinctiveTerm]:
    """The ``n`` terms most over-represented in ``target`` relative to ``background``.

    Parameters
    ----------
    target, background:
        Term counts (see :class:`TermCounts`).
    n:
        How many terms to return, highest z-score first; only terms with a
        positive z-score (more typical of the target) are returned.
    min_count:
        A term must occur this often in the target.
    min_documents:
        ...and in this many target texts (when the target tracks documents),
        so one reviewer repeating a word does not make it distinctive.
    prior_scale:
        Weight of the pooled-count prior (1.0 = the pooled counts themselves).
    """
    candidates = [
        term
        for term, count in target.counts.items()
        if count >= min_count
        and (not target.track_documents or target.documents[term] >= min_documents)
    ]
    if not candidates or n <= 0:
        return []
    y_a = np.array([target.counts[t] for t in candidates], dtype=np.float64)
    y_b = np.array([background.counts.get(t, 0) for t in candidates], dtype=np.float64)
    n_a, n_b = float(target.total), float(background.total)
    alpha = prior_scale * (y_a + y_b)
    alpha_0 = prior_scale * (n_a + n_b)
    delta = np.log((y_a + alpha) / (n_a + alpha_0 - y_a - alpha)) - np.log(
        (y_b + alpha) / (n_b + alpha_0 - y_b - alpha)
    )
    z = delta / np.sqrt(1.0 / (y_a + alpha) + 1.0 / (y_b + alpha))
    order = sorted(range(len(candidates)), key=lambda i: (-z[i], candidates[i]))
    return [DistinctiveTerm(candidates[i], float(z[i]), int(y_a[i])) for i in order[:n] if z[i] > 0]


def distinctive_terms(
    target_texts: Iterable[str],
    background_texts: Iterable[str],
    n: int = 15,
    *,
    min_count: int = 3,
    min_documents: int = 2,
) -> list[DistinctiveTerm]:
    """Unigrams and bigrams distinctive to ``target_texts`` against ``background_texts``.

    Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi &
    Quinn 2008); see :func:`weighted_log_odds`. Returns ``(term, z_score,
    count)`` tuples, most distinctive first. Texts are streamed, never held.

    >>> target = ["The lighthouse keeper climbs the stairs."] * 4
    >>> background = ["A city of cars and noise."] * 4
    >>> [t.term for t in distinctive_terms(target, background, n=2)]
    ['climbs', 'keeper']
    """
    mine = TermCounts(track_documents=True).update(target_texts)
    rest = TermCounts().update(background_texts)
    return weighted_log_odds(mine, rest, n=n, min_count=min_count, min_documents=min_documents)
