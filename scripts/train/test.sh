#!/usr/bin/env bash
# Tests of the training pipeline (about 2 minutes on an idle 2-core machine; 5 under heavy load):
#   1. Python unit tests (scripts/train/tests, unittest);
#   2. a --quick training run into a temp dir (tiny subsets, one epoch per phase);
#   3. the Node parity check (tfjs CPU backend vs PyTorch logits) on each quick model;
#   4. structural checks: manifest == lib/models/types.ts Manifest, models load in tfjs with
#      input [null,28,28,1] / output [null,10], cards carry the expected fields.
# Prints a final line "N passed, M failed" and exits non-zero if anything failed.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/whytrain-test.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }

PY=""
for cand in ${WHYTRAIN_PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import torch, numpy' >/dev/null 2>&1; then PY="$cand"; break; fi
done
if [[ -z "$PY" ]]; then
  echo "FAIL no python3 with torch+numpy (apt-get install python3-torch, or pip install torch)"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== python unit tests ($PY)"
UT_LOG="$TMP/unittest.log"
(cd "$HERE" && PYTHONPATH="$HERE" "$PY" -m unittest discover -s tests -t . -v) >"$UT_LOG" 2>&1
UT_RC=$?
UT_RAN=$(grep -Eo '^Ran [0-9]+ tests?' "$UT_LOG" | grep -Eo '[0-9]+' || echo 0)
UT_BAD=$(grep -Ec '\.\.\. (FAIL|ERROR)$' "$UT_LOG" || true)
grep -E '\.\.\. (ok|FAIL|ERROR)$' "$UT_LOG" | sed 's/^/  /'
PASSED=$((PASSED + UT_RAN - UT_BAD))
FAILED=$((FAILED + UT_BAD))
if [[ $UT_RC -ne 0 && $UT_BAD -eq 0 ]]; then fail "unittest run (rc $UT_RC)"; fi
if [[ $UT_RC -ne 0 ]]; then sed -n '/^=====/,$p' "$UT_LOG" | head -60; fi

echo "== quick training run -> $TMP/out"
if nice -n 5 bash "$HERE/run.sh" --quick --no-parity --out "$TMP/out" --parity-dir "$TMP/parity" >"$TMP/quick.log" 2>&1; then
  pass "run.sh --quick"
else
  fail "run.sh --quick"; tail -30 "$TMP/quick.log"
fi

echo "== parity (tfjs CPU backend vs PyTorch)"
for id in mnist-cnn fashion-scratch fashion-pretrained fashion-finetuned; do
  OUT=$(node "$HERE/parity.mjs" --model "$TMP/out/$id" --ref "$TMP/parity/$id" 2>&1)
  LINE=$(grep '^PARITY ' <<<"$OUT" || true)
  if [[ -n "$LINE" && "$LINE" == *'"pass":true'* ]]; then pass "parity $id ${LINE#PARITY }"; else fail "parity $id: $OUT"; fi
done

echo "== output structure (manifest, tfjs load, cards)"
CHECK_OUT=$(node "$HERE/check-output.mjs" "$TMP/out" 2>/dev/null)
echo "$CHECK_OUT" | grep -E '^(ok|FAIL)' | sed 's/^/  /'
C_PASS=$(tail -1 <<<"$CHECK_OUT" | grep -Eo '^[0-9]+' || echo 0)
C_FAIL=$(tail -1 <<<"$CHECK_OUT" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 1)
PASSED=$((PASSED + C_PASS))
FAILED=$((FAILED + C_FAIL))

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
