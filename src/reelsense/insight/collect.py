"""One streaming pass over a movie's reviews, gathering what insight and comparison need.

Memory is bounded by one movie: a list of its ratings, its term counts and
small fixed-size heaps of quote and disagreement candidates.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from reelsense.insight.results import (
    RATING_POINTS,
    SOURCES,
    AspectSummary,
    Disagreement,
    Quote,
    RatingDistribution,
    YearPolarity,
)
from reelsense.insight.terms import TermCounts
from reelsense.store.base import RatingSource, ReviewInsight

QUOTE_MAX = 200
"""Longest quote shown (characters); longer sentences are cut at a word."""
QUOTE_MIN = 25
"""Shorter sentences are used only when nothing better exists."""
QUOTES_PER_SIDE = 2
_CANDIDATES = 16
HIGH_RATING, LOW_RATING = 8.0, 3.0
NEGATIVE_TEXT, POSITIVE_TEXT = 0.2, 0.8
_EMAIL = re.compile(r"\s*\(?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\)?")
_SPACE = re.compile(r"\s+")


def display_author(name: str | None) -> str:
    """A reviewer's display name for quoting: any e-mail address removed, never empty."""
    clean = _EMAIL.sub("", name or "").strip()
    return clean or "anonymous"


def rating_point(value: float) -> int:
    """A rating rounded half up to a whole point 1..10."""
    return min(10, max(1, math.floor(value + 0.5)))


def shorten(text: str, limit: int = QUOTE_MAX) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    flat = _SPACE.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:- ")
    return cut + "…"


@dataclass
class _YearTally:
    reviews: int = 0
    analyzed: int = 0
    positive: int = 0
    rating_sum: float = 0.0
    rated: int = 0


@dataclass
class MovieCollector:
    """Accumulates one movie's reviews (``add`` each :class:`ReviewInsight`)."""

    disagreements_kept: int = 20
    reviews: int = 0
    analyzed: int = 0
    positive: int = 0
    ratings: list[float] = field(default_factory=list)
    histograms: dict[RatingSource, dict[int, int]] = field(
        default_factory=lambda: {s: dict.fromkeys(RATING_POINTS, 0) for s in SOURCES}
    )
    unrated: int = 0
    undated: int = 0
    years: dict[int, _YearTally] = field(default_factory=lambda: defaultdict(_YearTally))
    aspect_counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    terms: TermCounts = field(default_factory=lambda: TermCounts(track_documents=True))
    disagreement_count: int = 0
    _quotes: dict[tuple[str, str], list[tuple[tuple[int, float, int, int], Quote]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _disagreements: list[tuple[float, int, Disagreement]] = field(default_factory=list)

    def add(self, item: ReviewInsight) -> None:
        """Count one review with its analysis and aspect mentions."""
        review, analysis = item.review, item.analysis
        self.reviews += 1
        self.terms.add(review.text)
        source: RatingSource | None = None
        rating: float | None = None
        if review.rating is not None:
            source, rating = "given", review.rating
        elif analysis is not None:
            source, rating = analysis.rating_source, analysis.final_rating
        elif review.stated is not None:
            source, rating = "stated", review.stated.value
        if source is None or rating is None:
            self.unrated += 1
        else:
            self.histograms[source][rating_point(rating)] += 1
            self.ratings.append(rating)
        if review.date is None:
            self.undated += 1
        else:
            tally = self.years[review.date.year]
            tally.reviews += 1
            if rating is not None:
                tally.rated += 1
                tally.rating_sum += rating
            if analysis is not None:
                tally.analyzed += 1
                tally.positive += analysis.polarity == "positive"
        if analysis is not None:
            self.analyzed += 1
            self.positive += analysis.polarity == "positive"
            self._check_disagreement(item)
        author = display_author(review.display_name)
        for mention in item.aspects:
            self.aspect_counts[mention.aspect][mention.polarity] += 1
            if mention.polarity == "neutral":
                continue
            confidence = mention.score if mention.polarity == "positive" else 1.0 - mention.score
            text = shorten(mention.text)
            fits = int(len(text) >= QUOTE_MIN and not text.endswith("…"))
            key = (fits, round(confidence, 6), -item.review_id, -mention.sentence)
            quote = Quote(
                text, author, item.review_id, review.rating, mention.polarity, mention.score
            )
            heap = self._quotes[(mention.aspect, mention.polarity)]
            if len(heap) < _CANDIDATES:
                heapq.heappush(heap, (key, quote))
            elif key > heap[0][0]:
                heapq.heapreplace(heap, (key, quote))

    def _check_disagreement(self, item: ReviewInsight) -> None:
        review, analysis = item.review, item.analysis
        if review.rating is None or analysis is None:
            return
        p = analysis.p_positive
        if review.rating >= HIGH_RATING and p < NEGATIVE_TEXT:
            kind, strength = "high rating, negative text", NEGATIVE_TEXT - p
        elif review.rating <= LOW_RATING and p > POSITIVE_TEXT:
            kind, strength = "low rating, positive text", p - POSITIVE_TEXT
        else:
            return
        self.disagreement_count += 1
        found = Disagreement(
            item.review_id,
            display_author(review.display_name),
            review.rating,
            p,
            shorten(review.headline, 120) if review.headline else None,
            kind,
        )
        entry = (strength, -item.review_id, found)
        if len(self._disagreements) < self.disagreements_kept:
            heapq.heappush(self._disagreements, entry)
        elif entry[:2] > self._disagreements[0][:2]:
            heapq.heapreplace(self._disagreements, entry)

    def rating_distribution(self) -> RatingDistribution:
        """Given and filled ratings by source."""
        return RatingDistribution({s: dict(h) for s, h in self.histograms.items()}, self.unrated)

    def year_polarity(self) -> tuple[YearPolarity, ...]:
        """Per review year: count, share positive, mean final rating; oldest first."""
        return tuple(
            YearPolarity(
                year,
                t.reviews,
                t.analyzed,
                t.positive / t.analyzed if t.analyzed else None,
                t.rating_sum / t.rated if t.rated else None,
            )
            for year, t in sorted(self.years.items())
        )

    def _pick_quotes(self, aspect: str, polarity: str) -> tuple[Quote, ...]:
        ranked = [q for _, q in sorted(self._quotes.get((aspect, polarity), []), reverse=True)]
        chosen: list[Quote] = []
        for distinct in ("author", "review"):
            for quote in ranked:
                if len(chosen) == QUOTES_PER_SIDE:
                    break
                if quote in chosen or any(quote.text == q.text for q in chosen):
                    continue
                if distinct == "author" and quote.author != "anonymous":
                    clash = any(quote.author == q.author for q in chosen)
                else:
                    clash = any(quote.review_id == q.review_id for q in chosen)
                if not clash:
                    chosen.append(quote)
        return tuple(chosen)

    def aspect_summaries(self) -> tuple[AspectSummary, ...]:
        """Every aspect mentioned, most mentioned first, with quotes for praise and criticism."""
        summaries = [
            AspectSummary(
                aspect,
                counts["positive"],
                counts["negative"],
                counts["neutral"],
                self._pick_quotes(aspect, "positive"),
                self._pick_quotes(aspect, "negative"),
            )
            for aspect, counts in self.aspect_counts.items()
        ]
        return tuple(sorted(summaries, key=lambda s: (-s.mentions, s.aspect)))

    def disagreements(self) -> tuple[Disagreement, ...]:
        """The strongest disagreements kept, strongest first."""
        return tuple(d for *_, d in sorted(self._disagreements, reverse=True))

    @property
    def mean_rating(self) -> float | None:
        """Mean final rating (given, else filled) of the rated reviews."""
        return sum(self.ratings) / len(self.ratings) if self.ratings else None
