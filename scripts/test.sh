#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what the tests need
# (LibreOffice included), then runs ruff, mypy and pytest. "No tests collected" is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --with-office --with-tests

# Lint and types first: CI fails on them as on a test.
.venv/bin/ruff check render tests bench scripts
.venv/bin/mypy

set +e
.venv/bin/python -m pytest -n 2 -q "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass" >&2
  exit 1
fi
exit "$status"
