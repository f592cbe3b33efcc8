#!/usr/bin/env bash
# Set up everything Ketenmonitor needs on a fresh Debian machine with Python 3.11:
# the virtual environment in .venv with the pinned requirements (and, with --browser, Debian's chromium
# for the end-to-end tests and the session report's PDF, and poppler-utils for the tests that read that
# PDF), and the package itself in editable mode (the `ketenmonitor` command and the compiled iJw reader
# pipelines/ijw/_walk.pyx, which needs gcc and the Python headers). Safe to run again: it only installs or
# builds what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[[ "${1:-}" == "--browser" ]] && want_browser=1

apt_install() {
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; assert sys.version_info[:2] >= (3, 11)' 2>/dev/null; then
  echo "Python 3.11 of nieuwer is nodig (gevonden: $("$PY" --version 2>&1))." >&2
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "python3-venv ontbreekt: installeren met apt-get ..." >&2
    apt_install python3-venv python3-pip
    "$PY" -m venv .venv
  fi
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

# The package itself, editable (`pip install -e .`: the `ketenmonitor` command, and the compiled iJw reader
# pipelines/ijw/_walk.pyx built by setup.py against lxml's headers). Without build isolation: the pinned
# setuptools, Cython and lxml are the ones just installed from requirements.txt. Redone only when the .pyx,
# the build files or the requirements (lxml's headers) change, or the module or the command is missing.
ext_stamp=.venv/.package.sha256
ext_want=$(cat pipelines/ijw/_walk.pyx setup.py pyproject.toml requirements.txt | sha256sum | cut -d' ' -f1)
if [[ ! -f $ext_stamp || $(cat "$ext_stamp") != "$ext_want" ]] || [[ ! -x .venv/bin/ketenmonitor ]] \
  || ! compgen -G "pipelines/ijw/_walk.*.so" >/dev/null; then
  if ! command -v gcc >/dev/null 2>&1; then
    echo "gcc ontbreekt: installeren met apt-get (voor de gecompileerde iJw-lezer) ..." >&2
    apt_install gcc libc6-dev
  fi
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
  .venv/bin/python -c 'from pipelines.ijw import walk; assert walk.COMPILED, "gecompileerde iJw-lezer niet geladen"'
  echo "$ext_want" > "$ext_stamp"
fi

if [[ $want_browser -eq 1 ]] && ! command -v chromium >/dev/null 2>&1; then
  echo "Chromium ontbreekt: installeren met apt-get (Debian-pakket chromium) ..." >&2
  apt_install chromium fonts-dejavu-core fonts-noto-color-emoji
fi
# pdftotext (poppler-utils): the tests read the text of the session report's PDF with it
if [[ $want_browser -eq 1 ]] && ! command -v pdftotext >/dev/null 2>&1; then
  echo "pdftotext ontbreekt: installeren met apt-get (Debian-pakket poppler-utils) ..." >&2
  apt_install poppler-utils
fi
