#!/bin/bash
# usage: rerun_all.sh BIN TAG ROOT...: rerun.sh BIN TAG in every pass root given (each a
# $LINT_EVAL_ROOT holding out/ from run.sh), one after another.
BIN=$1; TAG=$2; shift 2
for r in "$@"; do [ -d "$r/out" ] || continue; LINT_EVAL_ROOT=$r bash "$(dirname "$0")/rerun.sh" "$BIN" "$TAG" > /dev/null; done
echo "all done $(date +%T)"
