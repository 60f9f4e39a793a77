#!/usr/bin/env python3
"""shift.py A B ROOT...: every finding whose confidence differs between outs/A and outs/B (rerun.sh
tags) over the pass roots given, by mode (d default, t --tests), with its verdict when judged:
what a rule change made `low` or `high`, finding by finding, across passes."""
import json, os, sys, glob
A, B, roots = sys.argv[1], sys.argv[2], sys.argv[3:]
for R in roots:
    for o in sorted(glob.glob(f"{R}/out/*/keys.txt")):
        name = o.split("/")[-2]
        verdicts = {}
        try:
            listed = {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(f"{R}/lists/{name}.tsv") if l.strip()}
            for l in open(f"{R}/verdicts/{name}.txt"):
                if l.strip():
                    v = l.rstrip("\n").split("\t"); p = listed[v[0]]
                    verdicts[(p[4], p[2])] = v[1].strip()[:1] + " " + v[-1][:100]
        except FileNotFoundError:
            pass
        for line in open(o):
            key, rel = line.rstrip("\n").split("\t")
            for mode in "dt":
                confidence = {}
                for tag in (A, B):
                    try: d = json.load(open(f"{R}/outs/{tag}/{name}/{key}.{mode}.json"))
                    except Exception: d = {"findings": []}
                    confidence[tag] = {((rel + "/" if rel else "") + f["location"]["file"] + ":" + str(f["location"]["line"]), f["check"]): f["confidence"]
                                       for f in d["findings"]}
                for k in sorted(set(confidence[A]) | set(confidence[B])):
                    a, b = confidence[A].get(k, "-"), confidence[B].get(k, "-")
                    if a != b: print(f"{os.path.basename(R)} {name} {mode} {k[1]} {k[0]} {a}->{b} | {verdicts.get(k, 'unjudged')}")
