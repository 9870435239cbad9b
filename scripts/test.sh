#!/usr/bin/env bash
# Set up a development environment and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=dev bash scripts/setup.sh
.venv/bin/python -m pytest -rs -q "$@"
