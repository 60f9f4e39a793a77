#!/bin/bash
# usage: extract.sh GITDIR NAME
# Writes the .go and go.mod files of the snapshot's HEAD to $LINT_EVAL_ROOT/trees/NAME (default
# root /tmp/lint-eval). GITDIR is what `fetch` returned (/work/.mirror/owner+name: its repo/ or
# repo/.git is used) or a git directory. Fails when the snapshot lists no Go file, and checks the
# tree against the snapshot's list and sizes (git archive can stop early without an error).
set -u
G=$1; NAME=$2; ROOT=${LINT_EVAL_ROOT:-/tmp/lint-eval}; T=$ROOT/trees/$NAME
[ -d "$G/repo/.git" ] && G=$G/repo/.git
[ -d "$G/repo" ] && G=$G/repo
want=$(git --git-dir="$G" ls-tree -r --name-only HEAD 2>/dev/null | grep -c '\.go$')
[ "$want" -gt 0 ] || { echo "$NAME: no Go files at HEAD of $G (or not a git directory)" >&2; exit 1; }
rm -rf "$T"; mkdir -p "$T"
git --git-dir="$G" archive --format=tar HEAD 2>/dev/null | tar -x -C "$T" 2>/dev/null
find "$T" -type f ! -name '*.go' ! -name go.mod -delete
# git archive can stop early or cut a file short without an error: every Go file and go.mod is
# checked against the snapshot's size, and one missing or of another size is taken blob by blob.
python3 - "$G" "$T" <<'PY'
import subprocess, sys, os
g, t = sys.argv[1], sys.argv[2]
ls = subprocess.run(["git", f"--git-dir={g}", "ls-tree", "-r", "-l", "HEAD"], capture_output=True, text=True).stdout
fixed = missing = 0
for line in ls.splitlines():
    meta, path = line.split("\t", 1)
    mode, typ, sha, size = meta.split()
    if typ != "blob" or not (path.endswith(".go") or path.endswith("go.mod")): continue
    p = os.path.join(t, path)
    if os.path.exists(p) and os.path.getsize(p) == int(size): continue
    r = subprocess.run(["git", f"--git-dir={g}", "cat-file", "blob", sha], capture_output=True)
    if r.returncode: missing += 1; continue
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(r.stdout); fixed += 1
if fixed or missing: print(f"{fixed} files taken blob by blob, {missing} blobs absent")
PY
echo "$NAME: $(find "$T" -name '*.go' | wc -l) of $want .go files, $(find "$T" -name go.mod | wc -l) go.mod; go directive(s): $(grep -h '^go ' $(find "$T" -maxdepth 2 -name go.mod) 2>/dev/null | sort -u | tr '\n' ' ')"
