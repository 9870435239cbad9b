"""Sentence-level aspect sentiment: the clause polarity model and its batched use.

An :class:`AspectModel` is a word n-gram featuriser (see
:mod:`reelsense.analysis.features`) plus one NB-LR weight vector, a Platt
calibration and a neutral band, trained on sentences of aclImdb train (see
:mod:`reelsense.analysis.aspect_train`). For each sentence that mentions an
aspect (:func:`reelsense.analysis.aspects.find_mentions`), the clause holding
the mention (:func:`reelsense.analysis.aspects.split_clauses`) is scored, with
negation marked on the words it governs (:func:`mark_negation`): P(positive)
in the neutral band gives ``neutral``.

Saved as ``aspects.json`` + ``aspects.npz`` (plain arrays, read with
``allow_pickle=False``) next to the review model; loading needs NumPy and
SciPy only.
"""

from __future__ import annotations

import json
import logging
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from reelsense.analysis.aspect_detector import AspectDetector
from reelsense.analysis.aspects import ASPECTS, Mention, matcher, review_context, split_clauses
from reelsense.analysis.features import FeatureConfig, Featurizer
from reelsense.errors import ConfigError, NotFittedError, ReelsenseError
from reelsense.store.base import AspectPolarity
from reelsense.text.sentences import split_sentences

logger = logging.getLogger(__name__)

__all__ = [
    "ASPECTS_FORMAT",
    "DEFAULT_ASPECTS_DIR",
    "AspectModel",
    "AspectModelError",
    "AspectRow",
    "mark_negation",
]

ASPECTS_FORMAT = "reelsense-aspects"
ASPECTS_FORMAT_VERSION = 1
METADATA_FILE = "aspects.json"
ARRAYS_FILE = "aspects.npz"
DEFAULT_ASPECTS_DIR = Path(__file__).resolve().parent.parent / "models" / "default"
_PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".pck", ".p")
NO_REVIEW_PRIOR: tuple[float, float, float] = (0.0, 1.0, 0.0)

AspectRow = tuple[int, str, str, AspectPolarity, float]
"""``(sentence_index, sentence_text, aspect, polarity, p_positive)``."""

MatchedSentence = tuple[str, list[Mention]]
"""A sentence and the matcher's mentions in it (see :meth:`AspectModel.matched_sentences`)."""

FloatArray = npt.NDArray[np.float64]

# Negators and the words they govern: up to the next punctuation or contrast
# word, at most _NEG_SCOPE words. ``isn't`` is ``isn t`` after tokenising.
_NEGATOR = (
    r"not|no|never|n't|nothing|nobody|none|neither|nor|without|hardly|barely|scarcely"
    r"|cannot|cant|dont|doesnt|didnt|isnt|wasnt|arent|werent|wont|wouldnt|couldnt|shouldnt"
    r"|lacks?|lacking|lacked|fails? to|failed to|far from|anything but|less than"
)
_NEG_SCOPE = 4
_NEGATION = (
    rf"\b(?:{_NEGATOR})\b((?:[\s\"'(]+(?!but\b|and\b|although\b|though\b|yet\b)[a-z0-9']+)"
    rf"{{1,{_NEG_SCOPE}}})"
)
_NEGATION_RE = re.compile(_NEGATION, re.IGNORECASE)
# The same pattern for lowercased ASCII text, where it matches exactly what the
# case-insensitive one does at the same offsets, in half the time.
_NEGATION_LOWER_RE = re.compile(_NEGATION)
_WORD_RE = re.compile(r"[a-z0-9']+", re.IGNORECASE)
NEG_PREFIX = "xneg"


def _prefixed(scope: str) -> str:
    return _WORD_RE.sub(lambda w: NEG_PREFIX + w.group(0), scope)


def _mark(match: re.Match[str]) -> str:
    return match.group(0)[: match.start(1) - match.start(0)] + _prefixed(match.group(1))


def mark_negation(text: str) -> str:
    """Prefix the words a negator governs with ``xneg`` (``not funny`` → ``not xnegfunny``).

    The scope runs from the negator to the next punctuation mark or contrast
    word, at most four words; the model learns ``xnegfunny`` as a word of
    its own, so "not funny" and "not at all funny" share the sign.

    Example
    -------
    >>> mark_negation("It is not funny at all, but the acting works.")
    'It is not xnegfunny xnegat xnegall, but the acting works.'
    """
    if not text.isascii():
        return _NEGATION_RE.sub(_mark, text)
    lowered = text.lower()
    # every negator has an "n" or an "a" in it, except "without"
    if "n" not in lowered and "a" not in lowered and "without" not in lowered:
        return text
    parts: list[str] = []
    done = 0
    for match in _NEGATION_LOWER_RE.finditer(lowered):
        start, end = match.span(1)
        parts += (text[done:start], _prefixed(text[start:end]))
        done = end
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


_SHORT_ANSWER_WORDS = 4
_ANSWER_RE = re.compile(
    r"(?:it|that|this|they|he|she)(?: (?:really|just|certainly|simply))?"
    r" (?:was|is|were|are|did|does|do)(?:n't| not)?\b",
    re.IGNORECASE,
)


def _answers(previous: str, sentence: str) -> bool:
    """Whether ``sentence`` is a short reply to ``previous`` ("The score?" "Forgettable.").

    A sentence of at most four words answers a question of at most four
    words before it ("Dialogue?"); "It wasn't." answers any sentence before it.
    """
    words = sentence.split()
    if len(words) > _SHORT_ANSWER_WORDS:
        return False
    if previous.rstrip().endswith("?") and len(previous.split()) <= _SHORT_ANSWER_WORDS:
        return True
    return _ANSWER_RE.fullmatch(sentence.strip(" .!")) is not None


class AspectModelError(ReelsenseError):
    """An aspect model directory is missing, unsafe (holds a pickle) or of another format."""


class AspectModel:
    """Clause polarity model plus aspect detection: reviews in, aspect mentions out.

    Parameters
    ----------
    featurizer:
        The fitted word n-gram featuriser.
    weights:
        One weight per feature (NB ratios folded in).
    intercept:
        Bias of the linear score.
    calibration:
        Platt ``(a, b)``: P(positive) = sigmoid(a * score + b).
    neutral_band:
        ``(low, high)``: a mention with ``low <= P(positive) <= high`` is neutral.
    version:
        The ``aspects_version`` string recorded with every mention.
    negation:
        Whether texts pass through :func:`mark_negation` before featurising.
    review_prior:
        ``(weight, scale, cap)``: each mention's log-odds gets
        ``weight * cap * tanh(z / scale)``, ``z`` being the whole review's
        log-odds (see :meth:`review_priors`); weight 0 turns it off.
    metadata:
        What ``aspects.json`` says about the training data and metrics.
    detector:
        The learned aspect detector; when ``None`` the term matcher alone
        decides which aspects a sentence is about.

    Example
    -------
    >>> model = AspectModel.load_default()  # doctest: +SKIP
    >>> model.analyze_review("Great acting, but the plot makes no sense.")  # doctest: +SKIP
    [(0, 'Great acting, but ...', 'acting', 'positive', 0.93), (0, ..., 'story', 'negative', 0.08)]
    """

    def __init__(
        self,
        featurizer: Featurizer,
        weights: npt.NDArray[np.float32],
        intercept: float,
        calibration: tuple[float, float],
        neutral_band: tuple[float, float],
        version: str,
        *,
        negation: bool = True,
        review_prior: tuple[float, float, float] = NO_REVIEW_PRIOR,
        metadata: Mapping[str, Any] | None = None,
        detector: AspectDetector | None = None,
    ) -> None:
        low, high = neutral_band
        if not 0.0 <= low <= high <= 1.0:
            raise ConfigError(
                f"neutral_band must satisfy 0 <= low <= high <= 1, not {neutral_band}"
            )
        if weights.shape != (featurizer.n_features,):
            raise ConfigError(
                f"weights shape {weights.shape} does not match {featurizer.n_features} features"
            )
        self.featurizer = featurizer
        self.weights = np.asarray(weights, dtype=np.float32)
        self.intercept = float(intercept)
        self.calibration = (float(calibration[0]), float(calibration[1]))
        self.neutral_band = (float(low), float(high))
        self.version = version
        self.negation = negation
        weight, scale, cap = review_prior
        if weight < 0.0 or scale <= 0.0 or cap < 0.0:
            raise ConfigError(
                f"review_prior must be (weight >= 0, scale > 0, cap >= 0), not {review_prior}"
            )
        self.review_prior = (float(weight), float(scale), float(cap))
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.detector = detector

    # ------------------------------------------------------------------ scoring
    def prepare(self, texts: Sequence[str]) -> list[str]:
        """The texts as the featuriser sees them (negation marked when enabled)."""
        if not self.negation:
            return list(texts)
        return [mark_negation(t) for t in texts]

    def decision_scores(self, texts: Sequence[str]) -> FloatArray:
        """Raw linear scores (log-odds before calibration) of ``texts``, in one transform."""
        if not texts:
            return np.zeros(0, dtype=np.float64)
        X = self.featurizer.transform(self.prepare(texts))
        scores: FloatArray = np.asarray(X @ self.weights, dtype=np.float64) + self.intercept
        return scores

    def p_positive(self, texts: Sequence[str]) -> FloatArray:
        """Calibrated P(positive) of each text (a sentence or a clause).

        Example
        -------
        >>> model.p_positive(["not funny", "never boring"])  # doctest: +SKIP
        array([0.12, 0.81])
        """
        a, b = self.calibration
        z = a * self.decision_scores(texts) + b
        out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * z))
        return out

    def polarity(self, p: float) -> AspectPolarity:
        """``positive``, ``negative`` or ``neutral`` (inside the neutral band) for a P(positive)."""
        low, high = self.neutral_band
        if low <= p <= high:
            return "neutral"
        return "positive" if p > high else "negative"

    # ----------------------------------------------------------------- analysis
    def analyze_reviews(self, texts: Sequence[str]) -> list[list[AspectRow]]:
        """Aspect mentions of many reviews; every clause of the batch is scored at once.

        Parameters
        ----------
        texts:
            Review texts (glued sentences are repaired before splitting).

        Returns
        -------
        list[list[AspectRow]]
            For each review, ``(sentence_index, sentence_text, aspect,
            polarity, p_positive)`` rows in sentence order and, within a
            sentence, in taxonomy order; one row per (sentence, aspect). The
            sentence index is into
            :func:`reelsense.text.sentences.split_sentences` of the review.

        Example
        -------
        >>> model.analyze_reviews(["The score is lovely.", "No aspects here."])  # doctest: +SKIP
        [[(0, 'The score is lovely.', 'music', 'positive', 0.9)], []]
        """
        order = {a: i for i, a in enumerate(ASPECTS)}
        matched = self.matched_sentences(texts)
        detected = self._detected(matched)
        # per mention: (review, sentence index, sentence, aspect, clause id)
        pending: list[tuple[int, int, str, str, int]] = []
        clause_ids: dict[str, int] = {}
        # mentions with no term to place them: (pending position, clauses of the sentence)
        unplaced: list[tuple[int, list[str]]] = []
        flat = 0
        for r, sentences in enumerate(matched):
            for s, (sentence, found) in enumerate(sentences):
                aspects = detected[flat]
                flat += 1
                if not aspects:
                    continue
                spans = split_clauses(sentence)
                chosen: dict[str, int] = {}
                for mention in found:
                    if mention.aspect in chosen or mention.aspect not in aspects:
                        continue  # the first mention of an aspect in a sentence decides
                    if mention.start == mention.end:
                        continue  # an answer to the sentence before: placed below
                    for a, b in spans:
                        if a <= mention.start < b:
                            clause = sentence[a:b]
                            break
                    else:
                        clause = sentence
                    chosen[mention.aspect] = clause_ids.setdefault(clause, len(clause_ids))
                for aspect in sorted(aspects, key=order.__getitem__):
                    clause_id = chosen.get(aspect)
                    if clause_id is None:  # no term places it (detector, or an answer)
                        if self.detector is not None and len(spans) > 1:
                            unplaced.append((len(pending), [sentence[a:b] for a, b in spans]))
                            clause_id = -1  # set by _place
                        else:
                            clause_id = clause_ids.setdefault(sentence, len(clause_ids))
                    pending.append((r, s, sentence, aspect, clause_id))
        self._place(pending, unplaced, clause_ids)
        slope, offset = self.calibration
        logits = (slope * self.decision_scores(list(clause_ids)) + offset).tolist()
        # only reviews with a mention are scored whole
        with_mentions = sorted({item[0] for item in pending})
        prior = self.review_priors([texts[r] for r in with_mentions])
        review_prior = dict(zip(with_mentions, prior.tolist(), strict=True))
        out: list[list[AspectRow]] = [[] for _ in texts]
        for r, s, sentence, aspect, cid in pending:
            # The prior stands for the rest of the review: a sentence that is most
            # of its review gets little of it, a one-sentence review none at all.
            rest = max(0.0, 1.0 - len(sentence) / len(texts[r]))
            p = 1.0 / (1.0 + math.exp(-(logits[cid] + rest * review_prior[r])))
            out[r].append((s, sentence, aspect, self.polarity(p), p))
        return out

    def matched_sentences(self, texts: Sequence[str]) -> list[list[MatchedSentence]]:
        """Each review's sentences with the term matcher's mentions in them.

        A short answer to the sentence before ("The score?" "Forgettable.")
        gets the aspects asked about, as mentions with an empty span.
        """
        mentions_of = matcher().mentions
        out: list[list[MatchedSentence]] = []
        for text in texts:
            sentences = split_sentences(text)
            context = review_context(sentences)
            previous: list[Mention] = []
            rows: list[MatchedSentence] = []
            for s, sentence in enumerate(sentences):
                found = mentions_of(sentence, context)
                asked, previous = previous, found
                if not found and asked and _answers(sentences[s - 1], sentence):
                    # the answer judges the aspects asked about (not passed on
                    # again: "Yes!!" after it is no answer)
                    found = [Mention(m.aspect, 0, 0) for m in asked]
                rows.append((sentence, found))
            out.append(rows)
        return out

    def _detected(self, matched: Sequence[Sequence[MatchedSentence]]) -> list[set[str]]:
        """The aspects each sentence is about, in reading order over all reviews."""
        sentences, found, before = matcher_inputs(matched)
        if self.detector is None:
            return found
        return self.detector.detect(sentences, found, before)

    def _place(
        self,
        pending: list[tuple[int, int, str, str, int]],
        unplaced: Sequence[tuple[int, list[str]]],
        clause_ids: dict[str, int],
    ) -> None:
        """Judge each mention found without a term on the clause the detector likes best.

        "The sets were cheap, but I loved every minute" is about the visuals
        in its first clause only; judging the whole sentence would let the
        second clause's praise decide. Only called with a detector.
        """
        if self.detector is None or not unplaced:
            return
        clauses = [clause for _, parts in unplaced for clause in parts]
        none: list[set[str]] = [set() for _ in clauses]
        p = self.detector.probabilities(clauses, none, none)
        start = 0
        for position, parts in unplaced:
            r, s, sentence, aspect, _ = pending[position]
            best = int(np.argmax(p[start : start + len(parts), ASPECTS.index(aspect)]))
            start += len(parts)
            clause = parts[best]
            pending[position] = (
                r,
                s,
                sentence,
                aspect,
                clause_ids.setdefault(clause, len(clause_ids)),
            )

    def review_priors(self, texts: Sequence[str]) -> FloatArray:
        """The log-odds each whole review adds to its clauses' scores.

        ``weight * cap * tanh(z / scale)`` where ``z`` is the calibrated
        log-odds of the whole review: most aspect judgements lean the way of
        their review, and a clause alone ("the story is told oddly") often
        carries too few words to tell. The tanh caps what a long review can
        add, so a clearly worded clause still wins against its review.
        :meth:`analyze_reviews` scales it by the share of the review's
        characters outside the mention's sentence.
        """
        weight, scale, cap = self.review_prior
        if not texts or weight == 0.0:
            return np.zeros(len(texts), dtype=np.float64)
        a, b = self.calibration
        z = a * self.decision_scores(texts) + b
        out: FloatArray = weight * cap * np.tanh(z / scale)
        return out

    def analyze_review(self, text: str) -> list[AspectRow]:
        """Aspect mentions of one review; see :meth:`analyze_reviews`.

        Example
        -------
        >>> model.analyze_review("The acting was not good.")  # doctest: +SKIP
        [(0, 'The acting was not good.', 'acting', 'negative', 0.1)]
        """
        return self.analyze_reviews([text])[0]

    # -------------------------------------------------------------- persistence
    def save(self, directory: str | Path) -> Path:
        """Write ``aspects.json`` + ``aspects.npz`` to ``directory`` (created if needed).

        Other files there (the review model's ``model.json`` / ``arrays.npz``)
        are left alone.

        Example
        -------
        >>> model.save("models/default")  # doctest: +SKIP
        """
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, npt.NDArray[Any]] = dict(self.featurizer.to_arrays())
        arrays["weights"] = self.weights.astype(np.float32)
        arrays["intercept"] = np.asarray([self.intercept], dtype=np.float64)
        arrays["calibration"] = np.asarray(self.calibration, dtype=np.float64)
        arrays["neutral_band"] = np.asarray(self.neutral_band, dtype=np.float64)
        arrays["review_prior"] = np.asarray(self.review_prior, dtype=np.float64)
        if self.detector is not None:
            arrays.update(self.detector.to_arrays())
        np.savez_compressed(target / ARRAYS_FILE, **arrays)  # type: ignore[arg-type]
        metadata = {
            **self.metadata,
            "format": ASPECTS_FORMAT,
            "format_version": ASPECTS_FORMAT_VERSION,
            "aspects_version": self.version,
            "aspects": list(ASPECTS),
            "feature_config": self.featurizer.config.to_json(),
            "negation": self.negation,
            "neutral_band": list(self.neutral_band),
            "review_prior": list(self.review_prior),
            "n_features": self.featurizer.n_features,
            "vocabulary_size": len(self.featurizer.vocabulary),
            "detector": None if self.detector is None else self.detector.describe(),
        }
        (target / METADATA_FILE).write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n")
        logger.info("saved aspect model %s to %s", self.version, target)
        return target

    @classmethod
    def load(cls, directory: str | Path) -> AspectModel:
        """Load ``aspects.json`` + ``aspects.npz`` from ``directory`` (NumPy only, no pickle).

        Raises
        ------
        AspectModelError
            When the files are missing, a pickle sits in the directory, or the
            format or its version is not this one.

        Example
        -------
        >>> AspectModel.load("src/reelsense/models/default").version  # doctest: +SKIP
        'asp-nblr-1'
        """
        source = Path(directory)
        if not source.is_dir():
            raise AspectModelError(f"{source}: not a model directory")
        pickles = sorted(p.name for p in source.iterdir() if p.suffix.lower() in _PICKLE_SUFFIXES)
        if pickles:
            raise AspectModelError(f"{source}: refusing a directory holding pickle files {pickles}")
        meta_path = source / METADATA_FILE
        try:
            metadata = json.loads(meta_path.read_text())
        except FileNotFoundError as exc:
            raise AspectModelError(f"{meta_path}: missing") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise AspectModelError(f"{meta_path}: not valid JSON ({exc})") from exc
        if not isinstance(metadata, dict) or metadata.get("format") != ASPECTS_FORMAT:
            raise AspectModelError(f"{meta_path}: not a {ASPECTS_FORMAT} model")
        if metadata.get("format_version") != ASPECTS_FORMAT_VERSION:
            raise AspectModelError(
                f"{meta_path}: format version {metadata.get('format_version')!r}; "
                f"this reelsense reads version {ASPECTS_FORMAT_VERSION}"
            )
        arrays_path = source / ARRAYS_FILE
        try:
            with np.load(arrays_path, allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
        except FileNotFoundError as exc:
            raise AspectModelError(f"{arrays_path}: missing") from exc
        except (ValueError, OSError, zipfile.BadZipFile) as exc:
            raise AspectModelError(f"{arrays_path}: not a plain-array .npz ({exc})") from exc
        try:
            config = FeatureConfig.from_json(metadata["feature_config"])
            featurizer = Featurizer.from_arrays(config, arrays)
            a, b = (float(v) for v in arrays["calibration"])
            low, high = (float(v) for v in arrays["neutral_band"])
            # models saved before the review prior have none (weight 0)
            weight, scale, cap = (
                (float(v) for v in arrays["review_prior"])
                if "review_prior" in arrays
                else NO_REVIEW_PRIOR
            )
            return cls(
                featurizer,
                np.asarray(arrays["weights"], dtype=np.float32),
                float(arrays["intercept"][0]),
                (a, b),
                (low, high),
                str(metadata["aspects_version"]),
                negation=bool(metadata.get("negation", True)),
                review_prior=(weight, scale, cap),
                metadata=metadata,
                # models saved before the learned detector have none
                detector=(
                    AspectDetector.from_arrays(arrays) if "detector_weights" in arrays else None
                ),
            )
        except (KeyError, TypeError, ValueError, IndexError, ConfigError) as exc:
            raise AspectModelError(f"{source}: incomplete or inconsistent model ({exc})") from exc

    @classmethod
    def load_default(cls) -> AspectModel:
        """Load the aspect model shipped in ``reelsense/models/default``.

        Raises
        ------
        NotFittedError
            When the package ships no aspect model.
        """
        if not (DEFAULT_ASPECTS_DIR / METADATA_FILE).exists():
            raise NotFittedError(
                f"no aspect model in {DEFAULT_ASPECTS_DIR}: run train_aspect_model() first"
            )
        return cls.load(DEFAULT_ASPECTS_DIR)


def matcher_inputs(
    matched: Sequence[Sequence[MatchedSentence]],
) -> tuple[list[str], list[set[str]], list[set[str]]]:
    """Flatten :meth:`AspectModel.matched_sentences` output for the detector.

    Returns every sentence in reading order, the matcher's aspects of each,
    and those of the sentence before it in its review (empty for a first
    sentence).
    """
    sentences: list[str] = []
    found: list[set[str]] = []
    before: list[set[str]] = []
    for review in matched:
        previous: set[str] = set()
        for sentence, mentions in review:
            aspects = {m.aspect for m in mentions}
            sentences.append(sentence)
            found.append(aspects)
            before.append(previous)
            previous = aspects
    return sentences, found, before
