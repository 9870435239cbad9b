"""How good is a rating stated in the text as evidence? Measured on aclImdb train.

For each labelled aclImdb **train** review (the true rating is in its file
name) this prints, for reelsense's extractor and for the naive pattern people
write first (the last ``N/10`` in the text):
- coverage: the share of reviews where a rating is found;
- agreement: among those, the share equal to the true rating after rounding,
  and the share within ±1.

The agreement of reelsense's extractor is the confidence ``analyze`` gives a
stated rating (``reelsense.analysis.fill.STATED_CONFIDENCE``).

    .venv/bin/python benchmarks/stated_ratings.py [--archive PATH]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from reelsense.analysis.fill import STATED_CONFIDENCE
from reelsense.records import Review
from reelsense.sources.aclimdb import read_aclimdb

DEFAULT_ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "data" / "aclImdb_v1.tar.gz"
NAIVE = re.compile(r"(\d+(?:\.\d+)?)\s*/\s*10\b")


def naive_rating(text: str) -> float | None:
    found = NAIVE.findall(text)
    if not found:
        return None
    value = float(found[-1])
    return max(1.0, value) if value <= 10 else None


class Tally:
    """Coverage and agreement counts of one extractor."""

    def __init__(self) -> None:
        self.found = self.exact = self.within_1 = 0

    def add(self, stated: float | None, true: float) -> None:
        if stated is None:
            return
        self.found += 1
        diff = abs(round(stated + 1e-9) - true)
        self.exact += diff == 0
        self.within_1 += diff <= 1

    def row(self, name: str, total: int) -> str:
        share = self.found / total
        exact = self.exact / self.found if self.found else 0.0
        within = self.within_1 / self.found if self.found else 0.0
        return f"{name:<30}{share:>10.2%}{self.found:>8,}{exact:>10.2%}{within:>10.2%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    args = parser.parse_args()
    if not args.archive.exists():
        sys.exit(f"aclImdb not found: {args.archive} (pass --archive)")
    ours, naive, total = Tally(), Tally(), 0
    for record in read_aclimdb(args.archive, splits=("train",)):
        if not isinstance(record, Review) or record.rating is None:
            continue
        total += 1
        ours.add(record.stated.value if record.stated else None, record.rating)
        naive.add(naive_rating(record.text), record.rating)
    print(f"data: aclImdb train split, {total:,} labelled reviews ({args.archive.name})")
    print(f"{'extractor':<30}{'coverage':>10}{'found':>8}{'exact':>10}{'within ±1':>10}")
    print(ours.row("reelsense extract_stated_rating", total))
    print(naive.row("naive last 'N/10'", total))
    agreement = ours.exact / ours.found if ours.found else 0.0
    print(
        f"confidence used for stated ratings: {STATED_CONFIDENCE:.2f} "
        f"(measured exact agreement {agreement:.2%})"
    )


if __name__ == "__main__":
    main()
