#!/usr/bin/env bash
# Create .venv and install reelsense into it. EXTRAS picks optional dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${EXTRAS:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
