#!/usr/bin/env python3
"""tally_after.py TAG: the pass's totals as a later binary shows them. Each judged finding keeps
its verdict; whether it is shown (high confidence), by mode, is read from the rerun's outputs in
outs/TAG (rerun.sh) instead of the first run's. Findings are matched by file, line and check.
Prints the totals line of tally.py for the rerun, and the judged findings whose showing changed."""
import json, os, sys
ROOT = os.environ.get("LINT_EVAL_ROOT", "/tmp/lint-eval")
tag = sys.argv[1]
totals = {"dn": 0, "dr": 0, "tn": 0, "tr": 0}
changes = []
for fn in sorted(n for n in os.listdir(f"{ROOT}/verdicts") if n.endswith(".txt")):
    name = fn[:-4]
    o = f"{ROOT}/out/{name}"
    keys = [l.rstrip("\n").split("\t") for l in open(f"{o}/keys.txt")] if os.path.exists(f"{o}/keys.txt") else []
    shown = {"d": {}, "t": {}}  # (path, line, check) -> confidence in the rerun
    for key, rel in keys:
        for mode in "dt":
            try:
                d = json.load(open(f"{ROOT}/outs/{tag}/{name}/{key}.{mode}.json"))
            except Exception:
                continue
            for f in d["findings"]:
                loc = f["location"]
                path = (rel + "/" if rel else "") + loc["file"]
                shown[mode][(path, loc["line"], f["check"])] = f["confidence"]
    listed = {}
    for l in open(f"{ROOT}/lists/{name}.tsv"):
        p = l.rstrip("\n").split("\t")
        listed[p[0]] = p
    for l in open(f"{ROOT}/verdicts/{fn}"):
        if not l.strip():
            continue
        v = l.rstrip("\n").split("\t")
        p = listed[v[0]]
        real = v[1].strip()[:1] == "R"
        path, line = p[4].rsplit(":", 1)
        k = (path, int(line), p[2])
        for mode in "dt":
            before = mode in p[1] and p[3] == "high"
            after = shown[mode].get(k) == "high"
            if after:
                totals[mode + "n"] += 1
                totals[mode + "r"] += real
            if before != after:
                changes.append(f"{name} {p[2]} {p[4]} {mode}: {'shown' if before else 'hidden'} -> {'shown' if after else 'hidden'} ({'R' if real else 'F'})")
pct = lambda a, b: f"{100 * a / b:.1f}%" if b else "-"
print(f"after {tag}: default {totals['dr']}/{totals['dn']} ({pct(totals['dr'], totals['dn'])}) "
      f"tests {totals['tr']}/{totals['tn']} ({pct(totals['tr'], totals['tn'])})")
for c in changes:
    print("  " + c)
