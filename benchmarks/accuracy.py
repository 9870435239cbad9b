"""Accuracy of reelsense's shipped model beside VADER, TextBlob and TF-IDF baselines.

One run, the same aclImdb TEST reviews for every system (the test split is
used for nothing else). Baselines are trained on aclImdb train in this run.

    .venv/bin/python benchmarks/accuracy.py                      # full 25,000 (recorded figure)
    .venv/bin/python benchmarks/accuracy.py --limit 2000         # quick look
    .venv/bin/python benchmarks/accuracy.py --model-dir DIR      # another saved model

Targets (issue 4): accuracy >= 0.920, ECE <= 0.03, rating MAE at least 25%
below TF-IDF + Ridge. Also prints model load time, size on disk and
single-process reviews/s of ``predict_batch`` on the same texts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from reelsense.analysis.evaluate import EvaluationReport, evaluate_predictions  # noqa: E402
from reelsense.analysis.persist import load  # noqa: E402
from reelsense.analysis.train import DEFAULT_MODEL_DIR, read_rated_reviews  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "aclImdb_v1.tar.gz"


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _model_size(path: Path) -> int:
    """Bytes of the sentiment model's own files (the folder may hold other models)."""
    return sum((path / name).stat().st_size for name in ("model.json", "arrays.npz"))


def _baselines(
    train_texts: list[str], train_ratings: np.ndarray, test_texts: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """TF-IDF (uni+bigrams, sublinear) + LogisticRegression and + Ridge (rating)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression, Ridge

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vec.fit_transform(train_texts)
    x_test = vec.transform(test_texts)
    clf = LogisticRegression(C=1.0, solver="liblinear", max_iter=1000)
    clf.fit(x_train, (train_ratings >= 7).astype(int))
    p = clf.predict_proba(x_test)[:, 1]
    reg = Ridge(alpha=1.0).fit(x_train, train_ratings)
    rating = np.clip(reg.predict(x_test), 1, 10)
    return p, rating


def _vader(texts: list[str]) -> np.ndarray | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    compound = np.array([analyzer.polarity_scores(t)["compound"] for t in texts])
    # compound >= 0 -> positive; map [-1, 1] to a pseudo-probability for AUC/ECE
    return np.where(compound >= 0, np.maximum((compound + 1) / 2, 0.5), (compound + 1) / 2)


def _textblob(texts: list[str]) -> np.ndarray | None:
    try:
        from textblob import TextBlob
    except ImportError:
        return None
    polarity = np.array([TextBlob(t).sentiment.polarity for t in texts])
    return np.where(polarity >= 0, np.maximum((polarity + 1) / 2, 0.5), (polarity + 1) / 2)


def _row(name: str, r: EvaluationReport, seconds: float) -> str:
    mae = f"{r.rating_mae:.3f}" if r.rating_mae is not None else "-"
    rate = f"{r.n / seconds:,.0f}" if seconds > 0 else "-"
    return (
        f"{name:<28} {r.accuracy:>8.4f} {r.f1:>7.4f} {r.roc_auc:>7.4f} {r.ece:>7.4f} "
        f"{mae:>8} {rate:>10}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="aclImdb folder/archive")
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N test reviews")
    parser.add_argument("--skip-lexicons", action="store_true", help="skip VADER and TextBlob")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"aclImdb not found at {args.data}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    test_texts, test_ratings_list = read_rated_reviews(args.data, "test")
    train_texts, train_ratings_list = read_rated_reviews(args.data, "train")
    if args.limit:
        order = np.random.RandomState(0).permutation(len(test_texts))[: args.limit]
        test_texts = [test_texts[i] for i in order]
        test_ratings_list = [test_ratings_list[i] for i in order]
    test_ratings = np.asarray(test_ratings_list, dtype=float)
    train_ratings = np.asarray(train_ratings_list, dtype=float)
    y = (test_ratings >= 7).astype(int)
    words = np.array([len(t.split()) for t in test_texts])
    print(
        f"data: {len(test_texts)} test reviews, {len(train_texts)} train reviews "
        f"(read in {time.perf_counter() - t0:.1f}s) from {args.data}"
    )

    t = time.perf_counter()
    model = load(args.model_dir)
    load_s = time.perf_counter() - t
    size = _model_size(args.model_dir)
    print(
        f"model: {model.version_} from {args.model_dir}: load {load_s:.2f}s, "
        f"size on disk {size / 1e6:.1f} MB, {model.featurizer_.n_features:,} features"
    )

    model.predict_batch(test_texts[:200])  # warm-up
    t = time.perf_counter()
    batch = model.predict_batch(test_texts)
    ours_s = time.perf_counter() - t
    rows: list[tuple[str, EvaluationReport, float]] = []
    ours = evaluate_predictions(
        y,
        batch.p_positive,
        true_ratings=test_ratings,
        predicted_ratings=batch.rating,
        word_counts=words,
    )
    rows.append(("reelsense (shipped)", ours, ours_s))

    t = time.perf_counter()
    p_base, r_base = _baselines(train_texts, train_ratings, test_texts)
    base_s = time.perf_counter() - t
    base = evaluate_predictions(y, p_base, true_ratings=test_ratings, predicted_ratings=r_base)
    rows.append(("TF-IDF+LR / TF-IDF+Ridge", base, 0.0))

    if not args.skip_lexicons:
        for name, scorer in (("VADER", _vader), ("TextBlob", _textblob)):
            t = time.perf_counter()
            p = scorer(test_texts)
            if p is None:
                print(f"{name}: not installed, skipped")
                continue
            rows.append((name, evaluate_predictions(y, p), time.perf_counter() - t))

    print()
    print(
        f"{'system':<28} {'accuracy':>8} {'F1':>7} {'AUC':>7} {'ECE':>7} "
        f"{'MAE':>8} {'reviews/s':>10}"
    )
    for name, report, seconds in rows:
        print(_row(name, report, seconds))
    print(f"(baselines trained + scored in {base_s:.1f}s; rating MAE on the 1-10 scale)")
    print()
    print("reelsense per-length buckets (words):")
    for b in ours.length_buckets:
        hi = b.max_words if b.max_words is not None else "inf"
        print(
            f"  [{b.min_words}, {hi}): n={b.count:>6} "
            f"accuracy={b.accuracy:.4f} MAE={b.rating_mae:.3f}"
        )
    print(
        f"reelsense rating exact={ours.rating_exact:.4f} within±1={ours.rating_within_1:.4f}; "
        f"confusion [[tn, fp], [fn, tp]] = {ours.confusion}"
    )
    print(f"reelsense mean rating_confidence (P within ±1) = {batch.rating_confidence.mean():.4f}")
    print()

    assert ours.rating_mae is not None and base.rating_mae is not None
    mae_cut = 1 - ours.rating_mae / base.rating_mae
    rate = len(test_texts) / ours_s
    checks = [
        (f"accuracy {ours.accuracy:.4f} >= 0.920", ours.accuracy >= 0.920),
        (f"ECE {ours.ece:.4f} <= 0.030", ours.ece <= 0.030),
        (
            f"rating MAE {ours.rating_mae:.3f} is {mae_cut:.1%} below ridge {base.rating_mae:.3f}"
            " (>= 25%)",
            mae_cut >= 0.25,
        ),
        (f"single-process reviews/s {rate:,.0f} >= 2,800 (2 cores -> >= 5,000)", rate >= 2800),
    ]
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
