#!/usr/bin/env python3
"""list.py NAME: summarise a project's lint outputs and write its findings list for judging.
Findings list: $LINT_EVAL_ROOT/lists/NAME.tsv, one line per distinct finding (union of default and --tests):
id  modes(d,t)  check  confidence  module-relative file:line  function  message"""
import json, os, sys
ROOT = os.environ.get("LINT_EVAL_ROOT", "/tmp/lint-eval")
name = sys.argv[1]
o = f"{ROOT}/out/{name}"
keys = [l.rstrip("\n").split("\t") for l in open(f"{o}/keys.txt")] if os.path.exists(f"{o}/keys.txt") else []
stats = {"d": [0, 0], "t": [0, 0]}
found = {}
errs = []
for key, rel in keys:
    for mode in "dt":
        p = f"{o}/{key}.{mode}.json"
        try:
            d = json.load(open(p))
        except Exception as e:
            rc = open(f"{o}/{key}.{mode}.rc").read().strip() if os.path.exists(f"{o}/{key}.{mode}.rc") else "?"
            errs.append(f"{key}.{mode}: rc={rc} {str(e)[:80]}")
            continue
        stats[mode][0] += d.get("files", 0); stats[mode][1] += d.get("lines", 0)
        for f in d["findings"]:
            loc = f["location"]
            path = (rel + "/" if rel else "") + loc["file"]
            k = (path, loc["line"], f["check"], f["message"])
            e = found.setdefault(k, {"modes": set(), "conf": f["confidence"], "fn": loc.get("function", "")})
            e["modes"].add(mode)
            if mode == "d": e["conf"] = f["confidence"]
rows = sorted(found.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
os.makedirs(f"{ROOT}/lists", exist_ok=True)
with open(f"{ROOT}/lists/{name}.tsv", "w") as out:
    for i, (k, e) in enumerate(rows, 1):
        out.write(f"{i}\t{''.join(sorted(e['modes']))}\t{k[2]}\t{e['conf']}\t{k[0]}:{k[1]}\t{e['fn']}\t{k[3]}\n")
with open(f"{o}/stats.json", "w") as s:
    json.dump({"modules": len(keys), "files": stats, "errors": errs}, s)
print(f"{name}: modules {len(keys)}, files d/t {stats['d'][0]}/{stats['t'][0]}, lines d/t {stats['d'][1]}/{stats['t'][1]}, findings {len(rows)}" + (f", ERRORS {errs}" if errs else ""))
print(f"list: {ROOT}/lists/{name}.tsv")
