"""Aspect detection on the held-out test file: reelsense beside a second human annotator.

The test file (``aspect_test.jsonl``, annotator A) was labelled a second time,
blind, by annotator B (``aspect_test_second.jsonl``) following the same
written guidelines. B's agreement with A is what a careful reader reaches on
these 413 sentences, so it bounds what any detector can be expected to score
against A. One run prints, side by side: B against A, the shipped model
against A, the term matcher alone against A, and the target.

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

from reelsense.analysis.aspect_eval import (  # noqa: E402
    AspectReport,
    evaluate_aspects,
    read_gold,
    score_rows,
)
from reelsense.analysis.aspect_model import DEFAULT_ASPECTS_DIR, AspectModel  # noqa: E402
from reelsense.analysis.aspect_train import DEFAULT_TEST_PATH  # noqa: E402
from reelsense.analysis.aspects import ASPECTS  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "aclImdb_v1.tar.gz"
SECOND_PATH = DEFAULT_TEST_PATH.with_name("aspect_test_second.jsonl")
_SIGN = {"positive": 0.9, "negative": 0.1, "neutral": 0.5}


def agreement(first: Path, second: Path) -> AspectReport:
    """Score annotator B (``second``) against annotator A (``first``), sentence by sentence."""
    b = {(row.review, row.sentence): row for row in read_gold(second)}
    pairs = []
    for row in read_gold(first):
        other = b[(row.review, row.sentence)]
        if other.sha1 != row.sha1:
            raise SystemExit(f"{second}: {row.review} sentence {row.sentence} is another sentence")
        pairs.append((row.aspects, {a: (p, _SIGN[p]) for a, p in other.aspects.items()}))
    return score_rows(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_ASPECTS_DIR)
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"aclImdb not found: {args.data} (pass --data)")

    human = agreement(DEFAULT_TEST_PATH, SECOND_PATH)
    model = AspectModel.load(args.model_dir)
    shipped = evaluate_aspects(DEFAULT_TEST_PATH, args.data, model)
    model.detector = None
    matcher = evaluate_aspects(DEFAULT_TEST_PATH, args.data, model)

    rows = [
        ("annotator B vs A (human agreement)", human),
        (f"reelsense {shipped.model_version} vs A", shipped),
        ("term matcher alone vs A", matcher),
    ]
    mentions = human.overall.gold
    print(f"test file: {DEFAULT_TEST_PATH.name}, {human.rows} sentences, {mentions} mentions")
    print(f"{'':40} {'precision':>9} {'recall':>7} {'micro-F1':>9} {'polarity':>9}")
    for name, report in rows:
        o = report.overall
        polarity = report.polarity_accuracy or 0.0
        print(
            f"{name:40} {o.precision:9.3f} {o.recall:7.3f} {report.micro_f1:9.3f} {polarity:9.3f}"
        )
    print(f"{'target':40} {'':9} {'':7} {0.80:9.2f} {0.85:9.2f}")
    verdict = "PASS" if shipped.micro_f1 >= 0.80 else "FAIL"
    print(f"detection micro-F1 {shipped.micro_f1:.3f} (target >= 0.80): {verdict}; ", end="")
    polarity = shipped.polarity_accuracy or 0.0
    print(f"polarity {polarity:.3f} (target >= 0.85): {'PASS' if polarity >= 0.85 else 'FAIL'}")
    print("\nper aspect F1     " + " ".join(f"{a[:6]:>6}" for a in ASPECTS))
    for name, report in rows:
        print(f"{name[:17]:17} " + " ".join(f"{report.per_aspect[a].f1:6.2f}" for a in ASPECTS))


if __name__ == "__main__":
    main()
