#!/usr/bin/env bash
# Idempotent set-up on Debian/Ubuntu: system packages, a virtual environment in .venv, the package.
#   bash scripts/setup.sh          # runtime (CLI, models, OCR)
#   bash scripts/setup.sh --dev    # plus the test and benchmark tools
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[[ "${1:-}" == "--dev" ]] && DEV=1

# --- system packages: Tesseract for OCR of scanned pages -------------------------------------
need_apt=()
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr tesseract-ocr-eng)
if ((DEV)); then  # the browser test of the reviewer page
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
fi
if ((${#need_apt[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  if [[ $(id -u) -eq 0 || -n "$SUDO" ]]; then
    echo "setup: installing ${need_apt[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "setup: warning: cannot install ${need_apt[*]} (not root, no sudo); OCR / browser tests will be skipped" >&2
  fi
fi

# --- Python environment ----------------------------------------------------------------------
PY=${PYTHON:-}
if [[ -z "$PY" ]]; then
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PY=$candidate; break; fi
  done
fi
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv with $PY"
  "$PY" -m venv .venv
fi
PIP=(.venv/bin/python -m pip --disable-pip-version-check -q)
pip_install() {  # pip, minus the noise some machines' pip configs print for every package
  set +e
  "${PIP[@]}" install "$@" 2>&1 | grep -v "is ignored: it is neither a file nor a directory"
  local rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}
stamp=.venv/.disclosure-nlp-installed
want="$(cat pyproject.toml | sha256sum | cut -c1-16)-dev$DEV"
if [[ ! -f $stamp || "$(cat $stamp)" != "$want" ]]; then
  # torch first and pinned: a CPU build (2.13.0); an unpinned torch pulls a multi-GB CUDA build.
  pip_install "torch==2.13.0"
  extras="neural"
  ((DEV)) && extras="neural,dev"
  pip_install -e ".[${extras}]"
  echo "$want" > $stamp
fi
echo "setup: ready (.venv/bin/disclosure-nlp)"
