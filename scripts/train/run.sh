#!/usr/bin/env bash
# Train the bundled models (or whatever the flags say). Usage: bash scripts/train/run.sh [flags] (see --help).
# Finds a python3 with PyTorch: /usr/bin/python3 first (Debian's python3-torch), then python3 on PATH.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

find_python() {
  local candidates=()
  [[ -n "${WHYTRAIN_PYTHON:-}" ]] && candidates+=("$WHYTRAIN_PYTHON")
  candidates+=(/usr/bin/python3 python3)
  for py in "${candidates[@]}"; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import torch, numpy' >/dev/null 2>&1; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

if ! PY="$(find_python)"; then
  cat >&2 <<'MSG'
scripts/train: no python3 with PyTorch and numpy found (tried $WHYTRAIN_PYTHON, /usr/bin/python3, python3).
Install PyTorch (CPU is enough), then re-run:
  Debian/Ubuntu:  sudo apt-get install python3-torch python3-numpy
  pip:            pip install torch numpy      (https://pytorch.org/get-started/locally/)
Or point WHYTRAIN_PYTHON at a python that has them.
MSG
  exit 127
fi

export PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}"
exec "$PY" -m whytrain "$@"
