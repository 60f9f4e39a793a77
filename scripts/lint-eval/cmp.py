#!/usr/bin/env python3
"""cmp.py TAG: every finding that differs between the first run (out/) and a rerun (outs/TAG/), by output file."""
import json, os, sys
R = os.environ.get("LINT_EVAL_ROOT", "/tmp/lint-eval"); tag = sys.argv[1]
def load(p):
    try: d = json.load(open(p))
    except Exception: return None
    return {(f["location"]["file"], f["location"]["line"], f["check"], f["message"], f["confidence"]) for f in d["findings"]}
n = 0
for p in sorted(f"{R}/out/{n}/{f}" for n in os.listdir(f"{R}/out") if os.path.isdir(f"{R}/out/{n}") for f in os.listdir(f"{R}/out/{n}") if f.endswith((".d.json", ".t.json"))):
    q = p.replace(f"{R}/out/", f"{R}/outs/{tag}/")
    a, b = load(p), load(q)
    if a is None and b is None: continue
    n += 1
    if a != b:
        print(p.split("/out/")[1])
        for x in sorted((a or set()) - (b or set())): print("  -", x)
        for x in sorted((b or set()) - (a or set())): print("  +", x)
print("compared", n, "outputs")
