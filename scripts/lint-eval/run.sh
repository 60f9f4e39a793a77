#!/bin/bash
# usage: BIN=path/to/leakscope run.sh NAME   (tree in $LINT_EVAL_ROOT/trees/NAME, outputs in $LINT_EVAL_ROOT/out/NAME)
# Lints every Go module of the tree, default and --tests, --confidence low, JSON.
set -u
NAME=$1; ROOT=${LINT_EVAL_ROOT:-/tmp/lint-eval}; BIN=${BIN:?set BIN to a leakscope binary}
T=$ROOT/trees/$NAME; O=$ROOT/out/$NAME
[ -d "$T" ] || { echo "no tree $T"; exit 2; }
rm -rf "$O"; mkdir -p "$O"
find "$T" -name go.mod -not -path '*/vendor/*' -not -path '*/testdata/*' -not -path '*/_*' -not -path '*/.*' | sort > "$O/modules.txt"
n=0
while read -r gm; do
  d=$(dirname "$gm"); rel=${d#$T}; rel=${rel#/}; key=$(echo "${rel:-.}" | tr '/' '_')
  ( cd "$d" && timeout 600 "$BIN" lint --confidence low --format json ./... > "$O/$key.d.json" 2> "$O/$key.d.err"; echo $? > "$O/$key.d.rc"
    timeout 600 "$BIN" lint --tests --confidence low --format json ./... > "$O/$key.t.json" 2> "$O/$key.t.err"; echo $? > "$O/$key.t.rc" )
  echo "$key	$rel" >> "$O/keys.txt"; n=$((n+1))
done < "$O/modules.txt"
echo "modules: $n"
python3 "$(dirname "$0")/list.py" "$NAME"
