"""The local engine's worker start: forked from a loaded model, or spawned."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reelsense.analysis.scoring import default_model_dir
from reelsense.engines import LocalEngine
from reelsense.engines.local import default_start_method
from reelsense.errors import ConfigError
from reelsense.store import SQLiteStore

from .conftest import corpus
from .test_contract import rows_of

# Run in a fresh interpreter: the test process may hold threads (the Dask
# cluster of other tests), and then the engine rightly refuses to fork.
_CHILD = """
import json, sys
from pathlib import Path
from reelsense.analysis.scoring import default_model_dir
from reelsense.analyze import model_version_of
from reelsense.engines import LocalEngine
from reelsense.engines.local import default_start_method
from reelsense.store import SQLiteStore

def main():
    engine = LocalEngine(default_model_dir(), workers=2)
    version, _ = model_version_of(engine.model_dir)
    method = default_start_method()
    with SQLiteStore(Path(sys.argv[1]), read_only=True) as store:
        batches = store.iter_unscored(version, batch_size=25)
        rows = [r for b in engine.score(batches) for r in b.rows]
    json.dump({"method": method, "rows": [[r.review_id, r.p_positive, r.predicted_rating,
               r.predicted_confidence, r.final_rating, r.rating_source] for r in rows]}, sys.stdout)

if __name__ == "__main__":
    main()
"""


def test_forked_workers_give_the_in_process_rows(tmp_path: Path) -> None:
    db = tmp_path / "reviews.db"
    with SQLiteStore(db) as store:
        store.write(corpus(120))
        reference = rows_of(store, 120, LocalEngine(default_model_dir(), workers=1))
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), str(db)], check=True, capture_output=True, text=True
    ).stdout
    result = json.loads(out)
    assert result["method"] == "fork"
    expected = [
        [
            r.review_id,
            r.p_positive,
            r.predicted_rating,
            r.predicted_confidence,
            r.final_rating,
            r.rating_source,
        ]
        for r in reference
    ]
    assert sorted(result["rows"]) == expected


def test_default_start_method_spawns_when_other_threads_run() -> None:
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert default_start_method() == "spawn"
    finally:
        stop.set()
        helper.join()


def test_engine_rejects_unknown_start_method() -> None:
    with pytest.raises(ConfigError, match="start_method"):
        LocalEngine(default_model_dir(), start_method="thread")
