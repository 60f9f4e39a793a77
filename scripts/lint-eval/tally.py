#!/usr/bin/env python3
"""Tally the clean pass: per project rows, totals, per-check counts (all incl. low)."""
import json, os, sys, collections
ROOT = os.environ.get("LINT_EVAL_ROOT", "/tmp/lint-eval")
names = sorted(n for n in os.listdir(f"{ROOT}/verdicts") if n.endswith(".txt"))
tot = collections.Counter(); perd = collections.Counter(); pert = collections.Counter()
rows = []; problems = []
for fn in names:
    name = fn[:-4]
    st = json.load(open(f"{ROOT}/out/{name}/stats.json"))
    lst = {}
    for l in open(f"{ROOT}/lists/{name}.tsv"):
        p = l.rstrip("\n").split("\t"); lst[p[0]] = p
    ver = {}
    for l in open(f"{ROOT}/verdicts/{fn}"):
        if not l.strip(): continue
        p = l.rstrip("\n").split("\t")
        ver[p[0]] = p
    if set(lst) != set(ver): problems.append(f"{name}: list ids {sorted(lst)} verdict ids {sorted(ver)}")
    c = collections.Counter()
    for i, p in lst.items():
        v = ver.get(i, [i, "?"])[1].strip()[:1]
        real = v == "R"
        modes, check, conf = p[1], p[2], p[3]
        for m in modes:
            (perd if m == "d" else pert)[(check, "n")] += 1
            (perd if m == "d" else pert)[(check, "r")] += real
            if conf == "high":
                c[m + "n"] += 1; c[m + "r"] += real
    f = st["files"]
    rows.append((name, st["modules"], f["d"][0], f["t"][0], f["d"][1], f["t"][1], c["dn"], c["dr"], c["tn"], c["tr"]))
    tot.update({"p": 1, "fd": f["d"][0], "ft": f["t"][0], "ld": f["d"][1], "lt": f["t"][1], **c})
for r in rows: print("\t".join(map(str, r)))
pct = lambda a, b: f"{100*a/b:.1f}%" if b else "-"
print(f"TOTAL projects {tot['p']} files {tot['fd']}/{tot['ft']} lines {tot['ld']}/{tot['lt']} default {tot['dr']}/{tot['dn']} ({pct(tot['dr'],tot['dn'])}) tests {tot['tr']}/{tot['tn']} ({pct(tot['tr'],tot['tn'])})")
for lbl, d in (("T", pert), ("D", perd)):
    checks = sorted({k[0] for k in d})
    print(lbl, ", ".join(f"{k} {d[(k,'n')]}/{d[(k,'r')]}" for k in checks), f"all {sum(d[(k,'n')] for k in checks)}/{sum(d[(k,'r')] for k in checks)}")
for p in problems: print("PROBLEM", p, file=sys.stderr)
