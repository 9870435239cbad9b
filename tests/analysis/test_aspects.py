"""Aspect detection, clause splitting, negation and the shipped aspect model (own sentences)."""

from __future__ import annotations

import itertools
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelsense.analysis.aspect_model import (
    DEFAULT_ASPECTS_DIR,
    NO_REVIEW_PRIOR,
    AspectModel,
    AspectModelError,
    mark_negation,
)
from reelsense.analysis.aspect_train import DEFAULT_REVIEW_PRIOR, fit_aspect_model
from reelsense.analysis.aspects import (
    ASPECTS,
    ReviewContext,
    analyze_sentences,
    detect_aspects,
    find_mentions,
    review_context,
    split_clauses,
)
from tests.aclimdb_folder import write_aclimdb

ONE_PER_ASPECT = {
    "acting": "The acting in this one is superb.",
    "story": "The plot is thin and the premise silly.",
    "characters": "Not one of these characters was worth caring about.",
    "direction": "Whoever directed this had a clear eye.",
    "script": "The dialogue sounds like nobody ever spoke that way.",
    "music": "The soundtrack is full of lovely songs.",
    "visuals": "The cinematography is gorgeous.",
    "pacing": "It is far too long and the middle drags.",
    "ending": "The ending left me cold.",
    "humour": "The jokes land every time.",
    "violence": "There is a lot of gore in the second half.",
    "effects": "The special effects have aged badly.",
    "comparison": "The remake is nowhere near the original.",
}


@pytest.fixture(scope="module")
def shipped() -> AspectModel:
    """The aspect model shipped in the package."""
    if not (DEFAULT_ASPECTS_DIR / "aspects.json").exists():
        pytest.skip("no aspect model shipped yet (run train_aspect_model)")
    return AspectModel.load_default()


def polarity_of(model: AspectModel, sentence: str, aspect: str) -> str:
    rows = [r for r in model.analyze_review(sentence) if r[2] == aspect]
    assert rows, f"{aspect} not detected in {sentence!r}"
    return rows[0][3]


# ---------------------------------------------------------------- detection
def test_taxonomy_has_the_thirteen_documented_aspects() -> None:
    assert len(ASPECTS) == 13
    assert set(ONE_PER_ASPECT) == set(ASPECTS)


@pytest.mark.parametrize(("aspect", "sentence"), sorted(ONE_PER_ASPECT.items()))
def test_each_aspect_is_detected(aspect: str, sentence: str) -> None:
    assert aspect in detect_aspects(sentence)


@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        ("I saw it with my brother on a rainy Sunday.", None),
        ("Great movie!", None),
        ("In the end, I went home happy.", "ending"),
        ("I score it 8/10 and move on.", "music"),
        ("Its IMDb score is far too low.", "music"),
        ("An original idea, told with care.", "comparison"),
        ("The evidence cast doubt on his story.", "acting"),
        ("The sheriff was shot dead in the first scene.", "visuals"),
        ("The side effects of the drug are the point of the tale.", "effects"),
        ("He stays in character even when the camera is off.", "characters"),
        ("Funny how nobody notices the gun.", "humour"),
        ("Something along those lines happens to everybody.", "script"),
        ("They walked in the wrong direction for an hour.", "direction"),
    ],
)
def test_other_senses_of_aspect_words_are_not_detected(sentence: str, absent: str | None) -> None:
    found = detect_aspects(sentence)
    if absent is None:
        assert found == []
    else:
        assert absent not in found


def test_longest_phrase_wins_over_its_parts() -> None:
    assert detect_aspects("The director of photography deserves an award.") == ["visuals"]
    assert detect_aspects("He is chewing the scenery in every scene.") == ["acting"]


def test_named_actor_with_a_judgement_counts_as_acting() -> None:
    assert "acting" in detect_aspects("Maria Lindqvist is wonderful as the widow.")


def test_several_aspects_in_one_sentence_are_all_found() -> None:
    found = detect_aspects("Fine acting, a dumb plot, great music and cheap CGI.")
    assert found == ["acting", "story", "music", "effects"]


def test_mentions_give_the_term_offsets() -> None:
    sentence = "The score soars."
    (mention,) = find_mentions(sentence)
    assert (mention.aspect, sentence[mention.start : mention.end]) == ("music", "score")


@pytest.mark.parametrize("text", ["", "   ", "!!!", "12345", "\n\n", "é" * 50])
def test_odd_input_has_no_aspect(text: str) -> None:
    assert detect_aspects(text) == []
    assert split_clauses(text) == [(0, len(text))] or text.strip() == ""


# ---------------------------------------------------------------- clauses
def test_but_splits_a_sentence_into_two_clauses() -> None:
    s = "The acting is good but the story is bad."
    assert [s[a:b].strip() for a, b in split_clauses(s)] == [
        "The acting is good",
        "but the story is bad.",
    ]


def test_although_clause_ends_at_the_comma() -> None:
    s = "Although the acting is good, the story is bad."
    assert [s[a:b].strip() for a, b in split_clauses(s)] == [
        "Although the acting is good,",
        "the story is bad.",
    ]


def test_however_between_commas_does_not_cut_the_subject_off() -> None:
    s = "The acting, however, was great."
    assert split_clauses(s) == [(0, len(s))] or len(split_clauses(s)) == 2
    clause_of_acting = next(s[a:b] for a, b in split_clauses(s) if a <= s.index("acting") < b)
    assert "acting" in clause_of_acting


def test_clauses_cover_the_whole_sentence() -> None:
    s = "Nice sets; sadly the plot, though clever, whereas the cast - yet again - stumbles."
    spans = split_clauses(s)
    assert spans[0][0] == 0 and spans[-1][1] == len(s)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))


# ---------------------------------------------------------------- negation
def test_negation_marks_the_governed_words() -> None:
    assert mark_negation("It is not funny.") == "It is not xnegfunny."
    assert mark_negation("Never boring, but silly.") == "Never xnegboring, but silly."
    assert mark_negation("A fine film.") == "A fine film."


def test_negation_keeps_the_case_of_every_word() -> None:
    assert mark_negation("It is NOT Funny, BUT Dull.") == "It is NOT xnegFunny, BUT Dull."
    assert mark_negation("Nothing New here") == "Nothing xnegNew xneghere"
    # negators with neither "n" nor "a" in lower case are found too
    assert mark_negation("It works without them.") == "It works without xnegthem."
    assert mark_negation("BARELY WATCHABLE") == "BARELY xnegWATCHABLE"
    # non-ASCII text: a scope still ends at a character outside a-z, 0-9 and '
    assert mark_negation("NOT a Café movie; never Über-cool.") == (
        "NOT xnega xnegCafé movie; never Über-cool."
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["not", "Not", "NEVER", "isn't", "fails to", "but", "and", ",", "."])
        | st.text(alphabet="aAbBzZ'9 \"(", min_size=1, max_size=6),
        max_size=14,
    )
)
def test_negation_ignores_case(words: list[str]) -> None:
    text = " ".join(words)
    marked = mark_negation(text)
    # marking works as on the lowercased text, only the original letters kept
    assert marked.lower() == mark_negation(text.lower()).lower()
    assert marked.replace("xneg", "") == text


# ---------------------------------------------------------------- context rules
@pytest.mark.parametrize(
    ("sentence", "present", "absent"),
    [
        # "original" means fresh here, which drops the comparison only, not the story
        ("The original story is clever.", "story", "comparison"),
        # story lines are the plot, not the script's lines
        ("The story lines never come together.", "story", "script"),
        ("The storyline was not that cheesy.", "story", None),
        ("It is a love story between two soldiers.", "story", None),
        ('It is even worse than "Zombiez" and just as cheap.', "comparison", None),
        ("Dale Morrow shows up as her hot-headed cousin.", "acting", None),
        ("I never cared who wins, loses or dies.", "characters", None),
        ("She plays an insipid girl with no sense.", "characters", None),
    ],
)
def test_context_rules_find_the_aspect(sentence: str, present: str, absent: str | None) -> None:
    found = detect_aspects(sentence)
    assert present in found
    assert absent is None or absent not in found


def test_a_quoted_title_is_a_comparison_unless_it_is_the_reviewed_film() -> None:
    sentences = [
        '"Red Rock West" is a lovely thriller.',
        'It is as tense as "Blood Simple" and the film "Red Rock West" is better.',
    ]
    context = review_context(sentences)
    assert context.own_titles == frozenset({"red rock west"})
    mentions = find_mentions(sentences[1], context)
    titles = [sentences[1][m.start : m.end] for m in mentions if m.aspect == "comparison"]
    assert titles == ['"Blood Simple"']
    assert not [m for m in find_mentions(sentences[0], context) if m.aspect == "comparison"]


def test_dialogue_in_quotes_is_not_a_title() -> None:
    assert "comparison" not in detect_aspects('She yells "It\'s not about you, is it?" at him.')


def test_an_actor_introduced_in_parentheses_is_judged_by_surname() -> None:
    sentences = [
        "A runaway robot (Lena Halvorsen) saves the day.",
        "Halvorsen was superb.",
    ]
    context = review_context(sentences)
    assert "Halvorsen" in context.actors
    assert [m.aspect for m in find_mentions(sentences[1], context)] == ["acting"]
    assert find_mentions(sentences[1], ReviewContext()) == []


def test_a_short_answer_inherits_the_aspects_of_the_question(shipped: AspectModel) -> None:
    rows = shipped.analyze_review("The story? Hopeless. Dialogue? Dreadful. I left.")
    assert [(r[0], r[2]) for r in rows] == [
        (0, "story"),
        (1, "story"),
        (2, "script"),
        (3, "script"),
    ]
    assert rows[1][3] == "negative" and rows[3][3] == "negative"


# ---------------------------------------------------------------- shipped model
def test_shipped_model_loads_without_pickle(shipped: AspectModel) -> None:
    with zipfile.ZipFile(DEFAULT_ASPECTS_DIR / "aspects.npz") as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())
    with np.load(DEFAULT_ASPECTS_DIR / "aspects.npz", allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)
    meta = json.loads((DEFAULT_ASPECTS_DIR / "aspects.json").read_text())
    assert meta["aspects_version"] == shipped.version
    assert meta["aspects"] == list(ASPECTS)


@pytest.mark.parametrize(
    ("sentence", "aspect", "polarity"),
    [
        ("The acting was superb.", "acting", "positive"),
        ("The acting was not good.", "acting", "negative"),
        ("The jokes were not funny at all.", "humour", "negative"),
        ("The plot is a complete mess.", "story", "negative"),
        ("It is never boring.", "pacing", "positive"),
        ("The soundtrack is beautiful.", "music", "positive"),
        ("The special effects look cheap and fake.", "effects", "negative"),
    ],
)
def test_polarity_of_simple_and_negated_sentences(
    shipped: AspectModel, sentence: str, aspect: str, polarity: str
) -> None:
    assert polarity_of(shipped, sentence, aspect) == polarity


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Great acting, but the plot makes no sense.",
            {"acting": "positive", "story": "negative"},
        ),
        (
            "The acting is good but the story is bad.",
            {"acting": "positive", "story": "negative"},
        ),
        (
            "Although the script is awful, the music is wonderful.",
            {"script": "negative", "music": "positive"},
        ),
    ],
)
def test_contrast_judges_each_aspect_on_its_own_clause(
    shipped: AspectModel, sentence: str, expected: dict[str, str]
) -> None:
    got = {aspect: polarity for _, _, aspect, polarity, _ in shipped.analyze_review(sentence)}
    assert got == expected


def test_rows_index_the_sentences_of_the_review(shipped: AspectModel) -> None:
    text = "I went on a Tuesday. The ending was awful.Great score though!"
    rows = shipped.analyze_review(text)
    assert [(r[0], r[2]) for r in rows] == [(1, "ending"), (2, "music")]
    assert rows[0][1] == "The ending was awful."
    assert all(0.0 <= r[4] <= 1.0 for r in rows)


def test_batch_equals_one_by_one(shipped: AspectModel) -> None:
    texts = ["The cast shines.", "", "Nothing to see.", "The plot drags but the music is fun."]
    assert shipped.analyze_reviews(texts) == [shipped.analyze_review(t) for t in texts]


def test_analyze_sentences_groups_aspects_by_sentence(shipped: AspectModel) -> None:
    result = analyze_sentences("Hello. Fine acting and a dull plot.", shipped)
    assert len(result) == 1 and result[0].index == 1
    assert [a.aspect for a in result[0].aspects] == ["acting", "story"]


# ---------------------------------------------------------------- training and persistence
def _tiny_model() -> AspectModel:
    good = ["wonderful", "great", "superb", "lovely", "brilliant"]
    bad = ["awful", "dull", "terrible", "stupid", "weak"]
    things = ["acting", "plot", "music", "ending", "jokes"]
    texts: list[str] = []
    labels: list[int] = []
    for i in range(40):
        thing = things[i % 5]
        texts += [f"the {thing} is {good[i % 5]}", f"the {thing} is {bad[i % 5]}"]
        labels += [1, 0]
    model, metrics = fit_aspect_model(texts, labels, C=1.0)
    assert metrics["weak_holdout_accuracy"] >= 0.9
    return model


def test_fitted_model_round_trips_through_json_and_npz(tmp_path: Path) -> None:
    model = _tiny_model()
    (tmp_path / "model.json").write_text("{}")  # the review model's file stays untouched
    model.save(tmp_path)
    loaded = AspectModel.load(tmp_path)
    texts = ["the acting is wonderful", "the music is awful"]
    assert np.allclose(loaded.p_positive(texts), model.p_positive(texts))
    assert (tmp_path / "model.json").read_text() == "{}"
    assert loaded.p_positive(texts)[0] > 0.5 > loaded.p_positive(texts)[1]


def test_review_prior_leans_a_vague_clause_toward_its_review(tmp_path: Path) -> None:
    model = _tiny_model()
    vague = "The music is there."
    good = f"{vague} The acting is wonderful. The plot is great. The jokes are superb."
    bad = f"{vague} The acting is awful. The plot is dull. The jokes are terrible."
    assert model.review_prior == DEFAULT_REVIEW_PRIOR
    model.review_prior = NO_REVIEW_PRIOR
    off = [model.analyze_review(t)[0][4] for t in (good, bad)]
    assert off[0] == pytest.approx(off[1])  # weight 0: the clause alone decides
    model.review_prior = DEFAULT_REVIEW_PRIOR
    on = [model.analyze_review(t)[0][4] for t in (good, bad)]
    assert on[0] > off[0] and on[1] < off[1]
    model.save(tmp_path)
    assert AspectModel.load(tmp_path).review_prior == DEFAULT_REVIEW_PRIOR


def test_training_excludes_the_dev_and_test_reviews(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelsense.analysis import aspect_train

    seen: dict[str, object] = {}

    def fake_read(path: object, **kwargs: object) -> aspect_train.AspectCorpus:
        seen.update(kwargs)
        texts = ["the acting is wonderful", "the acting is awful"] * 20
        ids = [str(i) for i in range(40)]
        return aspect_train.AspectCorpus(texts, [1, 0] * 20, list(range(40)), ids, [], {})

    monkeypatch.setattr(aspect_train, "read_aspect_corpus", fake_read)
    aspect_train.train_aspect_model("unused", tmp_path, train_path=None)
    dev = aspect_train.gold_review_ids(aspect_train.DEFAULT_GOLD_PATH)
    test = aspect_train.gold_review_ids(aspect_train.DEFAULT_TEST_PATH)
    assert dev and test and seen["exclude"] == dev | test
    assert seen["vectors"] is False  # no detector: unsup is not read
    assert AspectModel.load(tmp_path).review_prior == aspect_train.DEFAULT_REVIEW_PRIOR


def test_one_pass_over_aclimdb_gives_clauses_vectors_and_wanted_texts(tmp_path: Path) -> None:
    from reelsense.analysis.aspect_train import read_aspect_corpus

    data = write_aclimdb(
        tmp_path,
        {
            "train/pos/1_9": "Great acting. Although slow, the plot works.",
            "train/neg/2_2": "Dull plot.",
            "train/neg/3_1": "Held out of training.",
            "train/unsup/4_0": "No label here.",
        },
    )
    held = "aclImdb/train/neg/3_1"
    corpus = read_aspect_corpus(data, exclude={held}, wanted={held, "aclImdb/train/pos/1_9"})
    assert sorted(corpus.review_ids) == ["aclImdb/train/neg/2_2", "aclImdb/train/pos/1_9"]
    pairs = sorted(zip(corpus.clauses, corpus.labels, strict=True))
    # the concessive clause is dropped; each clause carries its review's label
    assert pairs == [("Dull plot.", 0), ("Great acting.", 1), ("the plot works.", 1)]
    owners = {(c, corpus.review_ids[g]) for c, g in zip(corpus.clauses, corpus.groups, strict=True)}
    assert ("Dull plot.", "aclImdb/train/neg/2_2") in owners
    assert ("the plot works.", "aclImdb/train/pos/1_9") in owners
    assert sorted(corpus.vector_sentences) == sorted(
        ["Great acting.", "Although slow, the plot works.", "Dull plot.", "No label here."]
    )
    assert corpus.texts[held] == "Held out of training."  # wanted, even when excluded
    without = read_aspect_corpus(data, exclude={held}, vectors=False)
    assert without.vector_sentences == [] and without.texts == {}
    assert sorted(without.clauses) == sorted(corpus.clauses)


def test_load_refuses_a_directory_with_a_pickle(tmp_path: Path) -> None:
    _tiny_model().save(tmp_path)
    (tmp_path / "evil.pkl").write_bytes(b"not really")
    with pytest.raises(AspectModelError, match="pickle"):
        AspectModel.load(tmp_path)


def test_load_reports_a_missing_model(tmp_path: Path) -> None:
    with pytest.raises(AspectModelError, match=r"aspects\.json"):
        AspectModel.load(tmp_path)
