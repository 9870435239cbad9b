"""The Store contract: every backend must pass these tests unchanged.

They use only the :class:`reelsense.store.Store` protocol, never SQL.
"""

from __future__ import annotations

from datetime import date

import pytest

from reelsense.errors import QueryError, StoreError
from reelsense.records import Movie, Problem, Review
from reelsense.store import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    SearchQuery,
    Store,
    StoreCounts,
    WriteResult,
)
from tests.store.conftest import StoreFactory
from tests.store.samples import CAFE, LIGHTHOUSE, corpus, review


@pytest.fixture
def filled(store: Store) -> Store:
    """The store holding :func:`corpus`."""
    store.write(corpus())
    return store


def _names(store: Store, text: str, **filters: object) -> set[str | None]:
    return {hit.display_name for hit in store.search(SearchQuery(text, **filters))}  # type: ignore[arg-type]


# -- writing and idempotency -------------------------------------------------------------


def test_write_reports_what_is_new(store: Store) -> None:
    result = store.write(corpus())
    assert result == WriteResult(movies_new=3, reviews_new=6, reviews_existing=0, problems_new=1)
    assert store.counts() == StoreCounts(
        movies=3, reviews=6, rated=5, emails=2, problems=1, groups=1
    )


def test_empty_write_changes_nothing(store: Store) -> None:
    assert store.write([]) == WriteResult()
    assert store.counts() == StoreCounts(0, 0, 0, 0, 0, 0)


def test_same_review_twice_in_one_batch_is_stored_once(store: Store) -> None:
    twice = review(text="Said once, read twice.")
    result = store.write([LIGHTHOUSE, twice, twice, twice])
    assert (result.reviews_new, result.reviews_existing) == (1, 2)
    assert store.counts().reviews == 1


def test_same_review_in_two_batches_is_counted_existing(store: Store) -> None:
    first = store.write(corpus())
    second = store.write(corpus())
    assert first.reviews_new == 6
    assert second == WriteResult(movies_new=0, reviews_new=0, reviews_existing=6, problems_new=0)
    assert store.counts().reviews == 6


def test_review_with_external_id_is_deduplicated_by_that_id(store: Store) -> None:
    store.write([review(text="first wording", external_id="train/pos/1_9")])
    result = store.write([review(text="second wording", external_id="train/pos/1_9")])
    assert result.reviews_existing == 1
    texts = [stored.review.text for stored in store.iter_reviews()]
    assert texts == ["first wording"]


def test_review_may_refer_to_a_movie_from_an_earlier_batch(store: Store) -> None:
    store.write([LIGHTHOUSE])
    result = store.write([review(text="Late arrival.")])
    assert (result.movies_new, result.reviews_new) == (0, 1)
    assert store.list_movies()[0].reviews == 1


def test_review_of_an_unwritten_movie_creates_a_bare_movie(store: Store) -> None:
    result = store.write([review(movie_id="tt9999999", text="Orphan review.")])
    assert (result.movies_new, result.reviews_new) == (1, 1)
    [movie] = store.list_movies()
    assert (movie.movie_id, movie.title, movie.year, movie.reviews) == ("tt9999999", None, None, 1)


def test_movie_written_again_keeps_its_values_and_fills_nulls(store: Store) -> None:
    store.write([Movie("tt0000001", title="Original Title", year=None, imdb_rating=7.0)])
    result = store.write(
        [Movie("tt0000001", title="Localised Title", year=1999, imdb_rating=None, url="u")]
    )
    assert result.movies_new == 0
    [movie] = store.list_movies()
    assert (movie.title, movie.year, movie.imdb_rating) == ("Original Title", 1999, 7.0)


def test_bare_movie_is_filled_in_when_the_movie_arrives_later(store: Store) -> None:
    store.write([review(text="Came before its movie.")])
    store.write([LIGHTHOUSE])
    [movie] = store.list_movies()
    assert (movie.title, movie.year, movie.groups) == (LIGHTHOUSE.title, 1999, ("Group1",))


def test_failing_batch_leaves_nothing_behind(store: Store) -> None:
    store.write([LIGHTHOUSE, review(text="Committed earlier.")])
    broken = review(movie_id=None, external_id="broken/1")  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        store.write([CAFE, review(movie_id=CAFE.movie_id, text="Would be new."), broken])
    assert store.counts().movies == 1
    assert [s.review.text for s in store.iter_reviews()] == ["Committed earlier."]


def test_crash_between_batches_keeps_earlier_batches(store_factory: StoreFactory) -> None:
    records = corpus()
    first = store_factory()
    first.write(records[:4])
    first.close()  # the process "dies" before the second batch
    reopened = store_factory()
    assert reopened.counts().reviews == 3
    result = reopened.write(records)
    assert (result.reviews_new, result.reviews_existing) == (3, 3)


def test_write_rejects_objects_that_are_not_records(store: Store) -> None:
    with pytest.raises(TypeError, match="cannot store a str"):
        store.write(["not a record"])  # type: ignore[list-item]


def test_store_works_as_a_context_manager(store_factory: StoreFactory) -> None:
    with store_factory() as store:  # type: ignore[attr-defined]
        store.write(corpus())
    with pytest.raises(StoreError, match="closed"):
        store.counts()


def test_closing_twice_is_harmless(store: Store) -> None:
    store.close()
    store.close()
    with pytest.raises(StoreError):
        store.write([LIGHTHOUSE])


# -- personal data ----------------------------------------------------------------------


def test_emails_are_not_returned_unless_asked(filled: Store) -> None:
    assert all(s.review.email is None for s in filled.iter_reviews())
    assert all(hit.email is None for hit in filled.search(SearchQuery("breathtaking")))


def test_emails_are_returned_when_asked(filled: Store) -> None:
    emails = {
        s.review.display_name: s.review.email for s in filled.iter_reviews(include_personal=True)
    }
    assert emails["Ann"] == "ann@example.org"
    assert emails["Bob"] is None
    hits = filled.search(SearchQuery("breathtaking"), include_personal=True)
    assert {hit.display_name: hit.email for hit in hits} == {
        "Ann": "ann@example.org",
        "Eve": "eve@example.net",
    }


# -- streaming ---------------------------------------------------------------------------


def test_iter_reviews_returns_the_records_that_were_written(store: Store) -> None:
    written = [r for r in corpus() if isinstance(r, Review)]
    store.write(corpus())
    stored = list(store.iter_reviews(include_personal=True))
    assert [s.review for s in stored] == written
    assert [s.review.key for s in stored] == [r.key for r in written]
    ids = [s.review_id for s in stored]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_iter_reviews_pages_through_small_batches(filled: Store) -> None:
    everything = [s.review_id for s in filled.iter_reviews()]
    paged = [s.review_id for s in filled.iter_reviews(batch_size=2)]
    assert paged == everything and len(paged) == 6


def test_iter_reviews_filters_by_movie(filled: Store) -> None:
    names = [s.review.display_name for s in filled.iter_reviews(movie_id="tt0000003")]
    assert names == ["Eve", "Fay"]
    assert list(filled.iter_reviews(movie_id="tt4040404")) == []


def test_iter_reviews_rejects_a_batch_size_below_one(filled: Store) -> None:
    with pytest.raises(QueryError, match="batch_size"):
        filled.iter_reviews(batch_size=0)


def test_writing_while_iterating_is_allowed(filled: Store) -> None:
    seen = 0
    for stored in filled.iter_reviews(batch_size=2):
        seen += 1
        if not stored.review.text.startswith("echo"):
            filled.write([review(stored.review.movie_id, 0, f"echo {stored.review_id}")])
    assert seen == 12  # the echoes written mid-stream have higher ids and are streamed too
    assert filled.counts().reviews == 12


# -- movies ------------------------------------------------------------------------------


def test_list_movies_counts_reviews_and_mean_rating(filled: Store) -> None:
    movies = {m.movie_id: m for m in filled.list_movies()}
    lighthouse = movies["tt0000001"]
    assert (lighthouse.reviews, lighthouse.rated) == (3, 2)
    assert lighthouse.mean_rating == pytest.approx(6.0)
    assert lighthouse.groups == ("Group1",)
    assert movies["tt0000003"].groups == ()
    assert movies["tt0000003"].mean_rating == pytest.approx(6.45)


def test_list_movies_sorts_by_title_by_default(filled: Store) -> None:
    titles = [m.title for m in filled.list_movies()]
    assert titles == [
        "Café Société Blues",
        "The Lighthouse Keeper",
        "The Lighthouse Keeper Returns",
    ]


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("year", False, ["tt0000001", "tt0000003", "tt0000002"]),
        ("year", True, ["tt0000002", "tt0000003", "tt0000001"]),
        ("reviews", True, ["tt0000001", "tt0000003", "tt0000002"]),
        ("rating", True, ["tt0000003", "tt0000001", "tt0000002"]),
        ("imdb_rating", False, ["tt0000002", "tt0000001", "tt0000003"]),  # no rating: last
        ("imdb_rating", True, ["tt0000001", "tt0000002", "tt0000003"]),  # still last
    ],
)
def test_list_movies_sorts_with_missing_values_last(
    filled: Store, sort: str, descending: bool, expected: list[str]
) -> None:
    movies = filled.list_movies(sort=sort, descending=descending)  # type: ignore[arg-type]
    assert [m.movie_id for m in movies] == expected


def test_list_movies_filters_by_group_and_limits(filled: Store) -> None:
    in_group = filled.list_movies(group="Group1", sort="year")
    assert [m.movie_id for m in in_group] == ["tt0000001", "tt0000002"]
    assert filled.list_movies(group="Group404") == []
    assert len(filled.list_movies(limit=1)) == 1


def test_list_movies_rejects_an_unknown_sort(filled: Store) -> None:
    with pytest.raises(QueryError, match="cannot sort movies by 'popularity'"):
        filled.list_movies(sort="popularity")  # type: ignore[arg-type]


def test_movie_in_two_groups_lists_both(store: Store) -> None:
    store.write([LIGHTHOUSE, Movie(LIGHTHOUSE.movie_id, group="Group7", position=3)])
    [movie] = store.list_movies()
    assert movie.groups == ("Group1", "Group7")
    assert store.movie_stats(LIGHTHOUSE.movie_id).group_positions == {"Group1": 0, "Group7": 3}


def test_find_movies_by_tt_id_in_any_case(filled: Store) -> None:
    assert [m.movie_id for m in filled.find_movies("TT0000002")] == ["tt0000002"]
    assert [m.movie_id for m in filled.find_movies(" tt0000003 ")] == ["tt0000003"]


def test_find_movies_by_all_title_words_ignoring_case(filled: Store) -> None:
    found = [m.movie_id for m in filled.find_movies("lighthouse KEEPER")]
    assert found == ["tt0000001", "tt0000002"]
    assert [m.movie_id for m in filled.find_movies("keeper returns")] == ["tt0000002"]
    assert [m.movie_id for m in filled.find_movies("SOCIÉTÉ")] == ["tt0000003"]


def test_find_movies_returns_nothing_for_no_match(filled: Store) -> None:
    assert filled.find_movies("lighthouse jazz") == []
    assert filled.find_movies("tt7654321") == []
    assert filled.find_movies("   ") == []


# -- movie statistics --------------------------------------------------------------------


def test_movie_stats_counts_and_dates(filled: Store) -> None:
    stats = filled.movie_stats("tt0000001")
    assert stats.summary.title == "The Lighthouse Keeper"
    assert (stats.unrated, stats.unrated_with_stated, stats.spoilers) == (1, 1, 1)
    assert (stats.first_date, stats.last_date) == (date(2001, 3, 4), date(2003, 7, 8))
    assert stats.group_positions == {"Group1": 0}
    assert stats.histogram == {**dict.fromkeys(range(1, 11), 0), 3: 1, 9: 1}


def test_movie_stats_histogram_rounds_half_up(store: Store) -> None:
    ratings = [6.5, 6.4, 4.5, 10.0, 1.0, 1.4, 9.96]
    store.write(
        [CAFE] + [review(CAFE.movie_id, i, f"take {i}", rating=r) for i, r in enumerate(ratings)]
    )
    histogram = store.movie_stats(CAFE.movie_id).histogram
    assert list(histogram) == list(range(1, 11))
    assert histogram == {1: 2, 2: 0, 3: 0, 4: 0, 5: 1, 6: 1, 7: 1, 8: 0, 9: 0, 10: 2}


def test_movie_stats_of_a_movie_without_reviews(store: Store) -> None:
    store.write([CAFE])
    stats = store.movie_stats(CAFE.movie_id)
    assert (stats.summary.reviews, stats.summary.mean_rating) == (0, None)
    assert sum(stats.histogram.values()) == 0
    assert (stats.first_date, stats.last_date, stats.group_positions) == (None, None, {})


def test_movie_stats_accepts_an_upper_case_id(filled: Store) -> None:
    assert filled.movie_stats("TT0000002").summary.movie_id == "tt0000002"


def test_movie_stats_of_an_unknown_movie_raises(filled: Store) -> None:
    with pytest.raises(QueryError, match="tt7654321"):
        filled.movie_stats("tt7654321")


# -- search ------------------------------------------------------------------------------


def test_search_highlights_matches_in_snippet_and_headline(filled: Store) -> None:
    [hit] = filled.search(SearchQuery("storm", movie="tt0000001"))
    marked = f"{HIGHLIGHT_START}storm{HIGHLIGHT_END}"
    assert marked in hit.snippet
    assert hit.headline == f"A breathtaking {marked}"
    assert (hit.title, hit.date, hit.rating) == ("The Lighthouse Keeper", date(2001, 3, 4), 9.0)


def test_search_snippet_is_short_with_an_ellipsis(store: Store) -> None:
    words = " ".join(f"filler{i}" for i in range(200))
    store.write([LIGHTHOUSE, review(text=f"{words} needle {words}")])
    [hit] = store.search(SearchQuery("needle"))
    assert "…" in hit.snippet
    assert f"{HIGHLIGHT_START}needle{HIGHLIGHT_END}" in hit.snippet
    assert len(hit.snippet.split()) < 40


def test_search_hit_without_headline_has_none(filled: Store) -> None:
    [hit] = filled.search(SearchQuery("finale"))
    assert hit.headline is None
    assert hit.display_name == "Fay"


def test_search_needs_every_word(filled: Store) -> None:
    assert _names(filled, "storm keeper") == {"Dee"}
    assert _names(filled, "storm") == {"Ann", "Dee"}


def test_search_phrase_needs_the_words_together(filled: Store) -> None:
    assert _names(filled, '"slow pacing"') == {"Bob"}
    assert _names(filled, '"pacing slow"') == set()


def test_search_or_takes_either(filled: Store) -> None:
    assert _names(filled, "jazz OR remake") == {"Eve", "Dee"}
    assert _names(filled, "storm jazz OR remake") == {"Dee"}


def test_search_minus_excludes(filled: Store) -> None:
    assert _names(filled, "storm -remake") == {"Ann"}
    assert _names(filled, 'breathtaking -"jazz score"') == {"Ann"}


def test_search_prefix(filled: Store) -> None:
    assert _names(filled, "surpris*") == {"Fay"}
    assert _names(filled, "surpris") == set()


def test_search_and_between_words_changes_nothing(filled: Store) -> None:
    assert _names(filled, "storm AND keeper") == _names(filled, "storm keeper")


def test_search_filters_by_movie(filled: Store) -> None:
    assert _names(filled, "breathtaking", movie="tt0000003") == {"Eve"}
    assert _names(filled, "breathtaking", movie="TT0000001") == {"Ann"}
    assert _names(filled, "breathtaking", movie="tt4040404") == set()


def test_search_filters_by_given_rating(filled: Store) -> None:
    assert _names(filled, "the", min_rating=6.5) == {"Ann", "Eve"}
    assert _names(filled, "the", max_rating=4.5) == {"Bob", "Dee"}
    assert _names(filled, "the", min_rating=4.0, max_rating=7.0) == {"Dee", "Eve"}


def test_search_filters_by_inclusive_dates(filled: Store) -> None:
    found = _names(filled, "the", since=date(2002, 5, 6), until=date(2005, 9, 10))
    assert found == {"Bob", "Cy", "Eve"}
    assert _names(filled, "the", since=date(2010, 1, 1)) == {"Dee"}


def test_search_ranks_best_first_and_pages(store: Store) -> None:
    store.write(
        [
            LIGHTHOUSE,
            review(position=0, text="ghost " + "words " * 60, display_name="weak"),
            review(position=1, text="ghost ghost ghost story", display_name="strong"),
            review(position=2, text="a ghost and " + "more " * 20, display_name="middle"),
        ]
    )
    hits = store.search(SearchQuery("ghost"))
    assert hits[0].display_name == "strong"
    assert {h.display_name for h in hits} == {"strong", "middle", "weak"}
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)
    second = store.search(SearchQuery("ghost", limit=1, offset=1))
    assert [h.review_id for h in second] == [hits[1].review_id]


def test_search_ignores_accents(filled: Store) -> None:
    assert _names(filled, "cafe") == {"Eve"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"unbalanced', "unbalanced quote"),
        ('storm "keeper', "unbalanced quote"),
        ("AND", "AND"),
        ("OR storm", "OR"),
        ("storm OR", "OR"),
        ("storm OR -keeper", "OR"),
        ("*", "no words"),
        ("", "no words"),
        ("   ", "no words"),
        ("-storm", "only excludes"),
        ("-storm -keeper", "only excludes"),
    ],
)
def test_malformed_search_raises_query_error(filled: Store, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        filled.search(SearchQuery(text))


@pytest.mark.parametrize(
    "text",
    [
        "NEAR(",
        "NEAR(storm keeper)",
        "a:b",
        "headline:storm",
        "'); DROP TABLE reviews;--",
        "(storm",
        "storm)",
        "^storm",
        "storm + keeper",
        'sto"rm',
        "{headline}: storm",
        "storm*keeper",
    ],
)
def test_hostile_search_text_is_only_ever_searched_for(filled: Store, text: str) -> None:
    before = filled.counts()
    try:
        hits = filled.search(SearchQuery(text))
    except QueryError:
        hits = []
    assert isinstance(hits, list)
    assert filled.counts() == before


def test_search_treats_syntax_characters_as_separators(filled: Store) -> None:
    assert _names(filled, "headline:storm") == set()  # "headline storm" as a phrase
    assert _names(filled, "(storm") == {"Ann", "Dee"}
    assert _names(filled, "NEAR(storm") == set()


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"offset": -1}, "offset"),
        ({"min_rating": 8.0, "max_rating": 2.0}, "rating"),
        ({"since": date(2020, 1, 1), "until": date(2019, 1, 1)}, "date"),
    ],
)
def test_search_rejects_bad_filters(
    filled: Store, filters: dict[str, object], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        filled.search(SearchQuery("storm", **filters))  # type: ignore[arg-type]


def test_search_accepts_the_largest_limit(filled: Store) -> None:
    assert len(filled.search(SearchQuery("the", limit=1000))) == 5  # one review lacks "the"


# -- problems ----------------------------------------------------------------------------


def test_problems_are_recorded_once(store: Store) -> None:
    problems = [
        Problem("a.txt", 3, "bad date"),
        Problem("a.txt", None, "file is truncated"),
        Problem("a.txt", 3, "bad date"),
    ]
    first = store.write(problems)
    second = store.write(problems)
    assert (first.problems_new, second.problems_new) == (2, 0)
    assert store.problems() == [problems[0], problems[1]]


def test_problems_keep_order_and_limit(store: Store) -> None:
    store.write([Problem("b.txt", i, f"problem {i}") for i in range(5)])
    assert [p.line for p in store.problems(limit=2)] == [0, 1]
    assert len(store.problems()) == 5
    assert str(store.problems()[0]) == "b.txt:0: problem 0"


def test_control_characters_are_stored_and_ignored_in_queries(store: Store) -> None:
    store.write([LIGHTHOUSE, review(text="bell tower and\x07 fog", headline="odd\x1bhead")])
    [stored] = list(store.iter_reviews())
    assert stored.review.text == "bell tower and\x07 fog"
    assert len(store.search(SearchQuery("fog\x00 bell\x02"))) == 1


def test_text_that_is_not_unicode_raises_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="not valid Unicode"):
        store.write([LIGHTHOUSE, review(text="broken \udcff surrogate")])
    assert store.counts().movies == 0
