"""Per-movie insight and comparisons built from the store.

>>> from reelsense.insight import movie_insight, compare_group, explain
"""

from reelsense.insight.compare import (
    AspectBalance,
    Comparison,
    MovieSide,
    PairTest,
    compare_group,
    compare_movies,
)
from reelsense.insight.movie import movie_insight
from reelsense.insight.results import (
    AspectSummary,
    Disagreement,
    MovieInsight,
    Quote,
    RatingDistribution,
    YearPolarity,
)
from reelsense.insight.stats import (
    RatingComparison,
    bootstrap_mean_difference,
    compare_ratings,
    explain,
    pairwise_shares,
)
from reelsense.insight.terms import DistinctiveTerm, TermCounts, distinctive_terms

__all__ = [
    "AspectBalance",
    "AspectSummary",
    "Comparison",
    "Disagreement",
    "DistinctiveTerm",
    "MovieInsight",
    "MovieSide",
    "PairTest",
    "Quote",
    "RatingComparison",
    "RatingDistribution",
    "TermCounts",
    "YearPolarity",
    "bootstrap_mean_difference",
    "compare_group",
    "compare_movies",
    "compare_ratings",
    "distinctive_terms",
    "explain",
    "movie_insight",
    "pairwise_shares",
]
