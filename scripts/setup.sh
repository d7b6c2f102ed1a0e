#!/usr/bin/env bash
# Everything gongwen needs, on a Debian machine, as root: system packages and fonts, then
# the Python packages in .venv, then the free Chinese fonts (FandolFang converted once).
# `--with-office` also installs LibreOffice (the tests measure layouts through it).
set -euo pipefail
cd "$(dirname "$0")/.."

system_args=()
[[ " $* " == *" --with-office "* ]] && system_args+=(--with-office)
bash scripts/setup-system.sh "${system_args[@]}"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [[ " $* " == *" --with-tests "* ]]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi
.venv/bin/gongwen fonts --install
