"""Long fuzz run of the readers and text functions: the suite's properties, many more inputs.

The strategies and invariants are the property tests' own
(``tests/sources/fuzzing*.py``, ``tests/text/fuzzing.py``): hostile bytes and
text never raise anything but reelsense's own errors, readers yield records
or problems for every line, row and file, ratings stay within 1-10, sentence
splitting loses no character. Each target runs in seeded batches of
``--examples`` inputs (for ``--seconds`` per target, or one batch); a failing
input is printed with the command that replays its batch.

    .venv/bin/python benchmarks/fuzz.py --examples 2000
    .venv/bin/python benchmarks/fuzz.py --seconds 60 --target crawler
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for the tests' strategies and invariants

from tests.sources.fuzzing import check_crawler, crawler_bytes  # noqa: E402
from tests.sources.fuzzing_aclimdb import aclimdb_inputs, check_aclimdb  # noqa: E402
from tests.sources.fuzzing_tabular import (  # noqa: E402
    check_tabular,
    csv_bytes,
    jsonl_bytes,
    parquet_bytes,
)
from tests.text.fuzzing import (  # noqa: E402
    check_ratings,
    check_scale,
    check_sentences,
    rating_texts,
    sentence_texts,
)

Check = Callable[[Any, Path], object]


def _targets() -> dict[str, tuple[st.SearchStrategy[Any], Check]]:
    return {
        "crawler": (crawler_bytes(), lambda data, _: check_crawler(data)),
        "aclimdb": (aclimdb_inputs(), lambda given, tmp: check_aclimdb(*given, tmp / "acl")),
        "csv": (csv_bytes(), lambda data, tmp: check_tabular(data, ".csv", tmp)),
        "tsv": (csv_bytes("\t"), lambda data, tmp: check_tabular(data, ".tsv", tmp)),
        "jsonl": (jsonl_bytes(), lambda data, tmp: check_tabular(data, ".jsonl", tmp)),
        "parquet": (parquet_bytes(), lambda data, tmp: check_tabular(data, ".parquet", tmp)),
        "sentences": (sentence_texts(), lambda text, _: check_sentences(text)),
        "ratings": (rating_texts(), lambda text, _: check_ratings(text)),
        "scale": (st.tuples(st.floats(), st.floats()), lambda pair, _: check_scale(*pair)),
    }


@dataclass
class Tally:
    """What one target's run tried and found."""

    tried: int = 0
    failures: int = 0
    batches: int = 0
    first: list[str] = field(default_factory=list)


def run_batch(
    strategy: st.SearchStrategy[Any],
    check: Check,
    examples: int,
    batch_seed: int,
    tmp: Path,
    tally: Tally,
) -> None:
    """Run ``examples`` generated inputs through ``check``, counting failures without stopping."""

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(batch_seed)
    @given(strategy)
    def batch(value: Any) -> None:
        tally.tried += 1
        try:
            check(value, tmp)
        except Exception:  # any failure of the invariants is counted, not raised
            tally.failures += 1
            if len(tally.first) < 3:
                shown = repr(value)
                shown = shown if len(shown) < 400 else shown[:400] + "..."
                tally.first.append(f"seed {batch_seed}: {shown}\n{traceback.format_exc()}")

    batch()
    tally.batches += 1


def main() -> None:
    targets = _targets()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per batch")
    parser.add_argument("--seconds", type=float, default=0.0, help="time per target")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first batch")
    parser.add_argument(
        "--target", action="append", choices=sorted(targets), help="repeatable; default all"
    )
    args = parser.parse_args()
    chosen = args.target or list(targets)
    total_failures = 0
    started = time.perf_counter()
    print(f"{'target':<11}{'inputs':>10}{'failures':>10}{'batches':>9}{'seconds':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for name in chosen:
            strategy, check = targets[name]
            tally = Tally()
            begin = time.perf_counter()
            batch_seed = args.seed
            while True:
                run_batch(strategy, check, args.examples, batch_seed, Path(folder), tally)
                batch_seed += 1
                if time.perf_counter() - begin >= args.seconds:
                    break
            spent = time.perf_counter() - begin
            print(
                f"{name:<11}{tally.tried:>10,}{tally.failures:>10}{tally.batches:>9}{spent:>9.1f}"
            )
            for detail in tally.first:
                print(detail, file=sys.stderr)
            if tally.failures:
                replay = (
                    f".venv/bin/python benchmarks/fuzz.py --target {name} "
                    f"--examples {args.examples} --seed <seed above>"
                )
                print(f"  replay: {replay}", file=sys.stderr)
            total_failures += tally.failures
    elapsed = time.perf_counter() - started
    print(f"total failures: {total_failures} in {elapsed:.0f} s")
    command = " ".join(["benchmarks/fuzz.py", *sys.argv[1:]])
    print(f"reproduce: .venv/bin/python {command}")
    if total_failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
