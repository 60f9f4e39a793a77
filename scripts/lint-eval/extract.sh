#!/bin/bash
# usage: extract.sh GITDIR NAME
# Writes the .go and go.mod files of the snapshot's HEAD to $LINT_EVAL_ROOT/trees/NAME (default
# root /tmp/lint-eval). GITDIR is what `fetch` returned (/work/.mirror/owner+name: its repo/ or
# repo/.git is used) or a git directory. Fails when the snapshot lists no Go file, and checks the
# tree against the snapshot's list (git archive can stop early without an error).
set -u
G=$1; NAME=$2; ROOT=${LINT_EVAL_ROOT:-/tmp/lint-eval}; T=$ROOT/trees/$NAME
[ -d "$G/repo/.git" ] && G=$G/repo/.git
[ -d "$G/repo" ] && G=$G/repo
want=$(git --git-dir="$G" ls-tree -r --name-only HEAD 2>/dev/null | grep -c '\.go$')
[ "$want" -gt 0 ] || { echo "$NAME: no Go files at HEAD of $G (or not a git directory)" >&2; exit 1; }
rm -rf "$T"; mkdir -p "$T"
git --git-dir="$G" archive --format=tar HEAD 2>/dev/null | tar -x -C "$T" 2>/dev/null
find "$T" -type f ! -name '*.go' ! -name go.mod -delete
if [ "$(find "$T" -name '*.go' | wc -l)" -lt "$want" ]; then
  # Some blobs absent or the archive stopped: take the Go files one by one.
  python3 - "$G" "$T" <<'PY'
import subprocess, sys, os
g, t = sys.argv[1], sys.argv[2]
ls = subprocess.run(["git", f"--git-dir={g}", "ls-tree", "-r", "HEAD"], capture_output=True, text=True).stdout
missing = 0
for line in ls.splitlines():
    meta, path = line.split("\t", 1)
    mode, typ, sha = meta.split()
    if typ != "blob" or not (path.endswith(".go") or path.endswith("go.mod")): continue
    r = subprocess.run(["git", f"--git-dir={g}", "cat-file", "blob", sha], capture_output=True)
    if r.returncode: missing += 1; continue
    p = os.path.join(t, path); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(r.stdout)
print(f"extracted file by file, {missing} blobs absent")
PY
fi
echo "$NAME: $(find "$T" -name '*.go' | wc -l) of $want .go files, $(find "$T" -name go.mod | wc -l) go.mod; go directive(s): $(grep -h '^go ' $(find "$T" -maxdepth 2 -name go.mod) 2>/dev/null | sort -u | tr '\n' ' ')"
