#!/usr/bin/env bash
# Set up reelsense and run the main job on SQLite: ingest a corpus, score it, show what is in it.
# Uses ../shared/data when it is there (the crawler seed file and the aclImdb archive),
# otherwise the small example corpus shipped in examples/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
db="${REELSENSE_DB:-reviews.db}"
inputs=(examples/corpus)
if [ -d ../shared/data ]; then
  [ -d ../shared/data/seed ] && inputs+=(../shared/data/seed)
  [ -f ../shared/data/aclImdb_v1.tar.gz ] && inputs+=(../shared/data/aclImdb_v1.tar.gz)
fi
rs=.venv/bin/reelsense
# Exit status 1 only means some inputs had problems (the example corpus has some on purpose).
"$rs" ingest --db "$db" "${inputs[@]}" || [ $? -eq 1 ]
"$rs" analyze --db "$db"
"$rs" movies --db "$db" --sort reviews --desc --limit 15
"$rs" show --db "$db" "$( [ -d ../shared/data/seed ] && echo tt0117407 || echo tt9900001 )"
"$rs" search --db "$db" --limit 3 '"great performance"'
