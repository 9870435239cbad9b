"""Small aclImdb folders for tests, written from texts of our own.

Example
-------
>>> root = write_aclimdb(tmp_path, {"train/pos/0_9": "Great fun."})  # doctest: +SKIP
>>> root.name  # doctest: +SKIP
'aclImdb'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath


def write_aclimdb(root: Path, reviews: Mapping[str, str]) -> Path:
    """Write ``reviews`` (``"train/pos/3_9"`` -> text) as ``root/aclImdb`` and return that folder.

    Each ``split/label`` folder gets its ``urls_label.txt``, whose line ``i``
    gives review ``i`` the movie ``tt{i:07d}``.
    """
    base = root / "aclImdb"
    last: dict[PurePosixPath, int] = {}
    for key, text in reviews.items():
        member = PurePosixPath(key)
        path = base / f"{key}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        review_id = int(member.name.split("_")[0])
        last[member.parent] = max(last.get(member.parent, -1), review_id)
    for folder, top in last.items():
        split, label = folder.parts
        urls = "".join(
            f"http://www.imdb.com/title/tt{i:07d}/usercomments\n" for i in range(top + 1)
        )
        (base / split / f"urls_{label}.txt").write_text(urls, encoding="utf-8")
    return base
