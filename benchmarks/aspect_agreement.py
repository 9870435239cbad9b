"""Aspect detection beside a second annotator: on the test file, and on the training file.

The test file (``aspect_test.jsonl``, annotator A) was labelled a second time,
blind, by annotator B (``aspect_test_second.jsonl``) following the same
written guidelines. B's agreement with A is what a second annotator reaches on
these 413 sentences, so it bounds what any detector can be expected to score
against A. One run prints, side by side: B against A, the shipped model
against A, the term matcher alone against A, and the target.

Then the same question on the detector's own training file: 406 of its
sentences (43 reviews) were labelled again, blind (``aspect_train_second.jsonl``).
Their agreement shows whether the training labels are consistent; beside it,
the detector in 4-fold cross-validation over the whole training file (folds by
review, each fold's detector fitted on the other three) shows how much of that
consistency a model of words can learn.

    .venv/bin/python benchmarks/aspect_agreement.py
    .venv/bin/python benchmarks/aspect_agreement.py --model-dir DIR   # another aspect model

Target (issue 5): detection micro-F1 >= 0.80, polarity accuracy >= 0.85.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from reelsense.analysis.aspect_detector import fit_detector  # noqa: E402
from reelsense.analysis.aspect_eval import (  # noqa: E402
    AspectReport,
    evaluate_aspects,
    read_gold,
    read_review_texts,
    score_rows,
)
from reelsense.analysis.aspect_model import DEFAULT_ASPECTS_DIR, AspectModel  # noqa: E402
from reelsense.analysis.aspect_train import (  # noqa: E402
    DEFAULT_TEST_PATH,
    DEFAULT_TRAIN_PATH,
    detector_rows,
)
from reelsense.analysis.aspects import ASPECTS  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "aclImdb_v1.tar.gz"
SECOND_PATH = DEFAULT_TEST_PATH.with_name("aspect_test_second.jsonl")
TRAIN_SECOND_PATH = DEFAULT_TRAIN_PATH.with_name("aspect_train_second.jsonl")
FOLDS = 4
_SIGN = {"positive": 0.9, "negative": 0.1, "neutral": 0.5}
Key = tuple[str, int]
"""A labelled sentence: its review's id and its index in the review."""


def agreement(first: Path, second: Path) -> AspectReport:
    """Score annotator B (``second``) against A (``first``) on the sentences B labelled."""
    labelled = {(row.review, row.sentence): row for row in read_gold(first)}
    pairs = []
    for other in read_gold(second):
        row = labelled[(other.review, other.sentence)]
        if other.sha1 != row.sha1:
            raise SystemExit(f"{second}: {row.review} sentence {row.sentence} is another sentence")
        pairs.append((row.aspects, {a: (p, _SIGN[p]) for a, p in other.aspects.items()}))
    return score_rows(pairs)


def detection_only(
    gold: dict[Key, dict[str, str]], found: dict[Key, set[str]], keys: list[Key]
) -> AspectReport:
    """Detection scores of ``found`` against ``gold`` on ``keys`` (polarity is not scored)."""
    return score_rows([(gold[k], {a: ("neutral", 0.5) for a in found[k]}) for k in keys])


def cross_validated(
    model: AspectModel, data: Path
) -> tuple[dict[Key, set[str]], dict[Key, set[str]], dict[Key, dict[str, str]]]:
    """The detector in grouped k-fold cross-validation over the whole training file.

    Returns, per labelled sentence ``(review, index)``: the held-out detector's
    aspects, the term matcher's, and the training label's.
    """
    from sklearn.model_selection import GroupKFold

    if model.detector is None:
        raise SystemExit("the aspect model has no detector (trained with --no-detector)")
    rows = read_gold(DEFAULT_TRAIN_PATH)
    texts = read_review_texts(data, {row.review for row in rows})
    d = detector_rows(model, rows, texts)
    det = model.detector
    keys = list(zip(d.reviews, d.indices, strict=True))
    detected: dict[Key, set[str]] = {}
    for fit, held in GroupKFold(FOLDS).split(d.sentences, groups=d.reviews):
        fold = fit_detector(
            [d.sentences[i] for i in fit],
            [d.found[i] for i in fit],
            [d.before[i] for i in fit],
            [d.labels[i] for i in fit],
            det.vectors,
            threshold=det.threshold,
            veto=det.veto,
            matcher_weight=det.matcher_weight,
        )
        found = fold.detect(
            [d.sentences[i] for i in held], [d.found[i] for i in held], [d.before[i] for i in held]
        )
        detected.update((keys[i], aspects) for i, aspects in zip(held, found, strict=True))
    matcher = dict(zip(keys, d.found, strict=True))
    labels = {(row.review, row.sentence): row.aspects for row in rows}
    return detected, matcher, {k: labels[k] for k in keys}


def print_table(rows: list[tuple[str, AspectReport, bool]]) -> None:
    """One line per report: precision, recall, micro-F1 and, when it was scored, polarity."""
    print(f"{'':46} {'precision':>9} {'recall':>7} {'micro-F1':>9} {'polarity':>9}")
    for name, report, scored in rows:
        o = report.overall
        polarity = f"{report.polarity_accuracy or 0.0:9.3f}" if scored else f"{'-':>9}"
        print(f"{name:46} {o.precision:9.3f} {o.recall:7.3f} {report.micro_f1:9.3f} {polarity}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_ASPECTS_DIR)
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"aclImdb not found: {args.data} (pass --data)")

    second = agreement(DEFAULT_TEST_PATH, SECOND_PATH)
    model = AspectModel.load(args.model_dir)
    shipped = evaluate_aspects(DEFAULT_TEST_PATH, args.data, model)
    detector, model.detector = model.detector, None
    matcher = evaluate_aspects(DEFAULT_TEST_PATH, args.data, model)

    rows = [
        ("annotator B vs A (agreement)", second, True),
        (f"reelsense {shipped.model_version} vs A", shipped, True),
        ("term matcher alone vs A", matcher, True),
    ]
    mentions = second.overall.gold
    print(f"test file: {DEFAULT_TEST_PATH.name}, {second.rows} sentences, {mentions} mentions")
    print_table(rows)
    print(f"{'target':46} {'':9} {'':7} {0.80:9.2f} {0.85:9.2f}")
    verdict = "PASS" if shipped.micro_f1 >= 0.80 else "FAIL"
    print(f"detection micro-F1 {shipped.micro_f1:.3f} (target >= 0.80): {verdict}; ", end="")
    polarity = shipped.polarity_accuracy or 0.0
    print(f"polarity {polarity:.3f} (target >= 0.85): {'PASS' if polarity >= 0.85 else 'FAIL'}")
    print("\nper aspect F1     " + " ".join(f"{a[:6]:>6}" for a in ASPECTS))
    for name, report, _ in rows:
        print(f"{name[:17]:17} " + " ".join(f"{report.per_aspect[a].f1:6.2f}" for a in ASPECTS))

    twice = agreement(DEFAULT_TRAIN_PATH, TRAIN_SECOND_PATH)
    model.detector = detector
    detected, matcher_found, labels = cross_validated(model, args.data)
    sample = [(r.review, r.sentence) for r in read_gold(TRAIN_SECOND_PATH)]
    everything = list(labels)
    print(
        f"\ntraining file: {DEFAULT_TRAIN_PATH.name}, {len(labels)} sentences; "
        f"{twice.rows} of them ({twice.overall.gold} mentions) labelled again, blind"
    )
    print_table(
        [
            (f"second labelling vs training labels ({len(sample)})", twice, True),
            *(
                (
                    f"{name} vs training labels ({len(keys)})",
                    detection_only(labels, found, keys),
                    False,
                )
                for keys in (sample, everything)
                for name, found in (
                    (f"detector, {FOLDS}-fold CV", detected),
                    ("term matcher alone", matcher_found),
                )
            ),
        ]
    )


if __name__ == "__main__":
    main()
