#!/bin/bash
# rerun.sh BIN TAG: lint every tree's modules again into outs/TAG/NAME (same keys as out/NAME)
BIN=$1; TAG=$2; R=${LINT_EVAL_ROOT:-/tmp/lint-eval}
for o in $R/out/*/; do
  n=$(basename $o); [ -f $o/keys.txt ] || continue
  mkdir -p $R/outs/$TAG/$n
  while IFS=$'\t' read -r key rel; do
    d=$R/trees/$n/$rel
    ( cd "$d" && timeout 600 $BIN lint --confidence low --format json ./... > $R/outs/$TAG/$n/$key.d.json 2>/dev/null
      timeout 600 $BIN lint --tests --confidence low --format json ./... > $R/outs/$TAG/$n/$key.t.json 2>/dev/null )
  done < $o/keys.txt
done
echo done
