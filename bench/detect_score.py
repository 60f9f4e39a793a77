#!/usr/bin/env python3
"""Scores bench/detect.sh's outputs: found / missed / false alarms per setting, ours beside Go's
goroutineleak profile. Usage: detect_score.py WORKDIR SHAPE..."""
import json
import os
import re
import sys

work, shapes = sys.argv[1], sys.argv[2:]
SETTINGS = [("one", "one dump"), ("three", "3 dumps, steady"), ("bursty", "3 dumps, quiet last interval"),
            ("profile", "3 dumps + goroutineleak profile"), ("capture", "3 dumps + 3 heap profiles")]
if os.path.isdir(f"{work}/aged"):
    SETTINGS.insert(1, ("aged", "one dump with wait ages (65 s)"))


def names(function, responsible):
    return function == responsible or function.startswith(responsible + ".func")


def ours(path, manifest):
    """(found, false alarms, unnamed) for one diagnose JSON output. A finding that names no
    function on a leaky service is "unnamed": the leak is seen but its code is not."""
    try:
        with open(path) as f:
            findings = json.load(f)["findings"]
    except (OSError, ValueError, KeyError):
        return False, 0, False
    found, alarms, unnamed = False, 0, False
    for finding in findings:
        if finding["kind"] != "goroutine-leak" or finding["severity"] == "info":
            continue
        function = (finding.get("location") or {}).get("function", "")
        if manifest["leak"] and names(function, manifest["responsible"]):
            found = True
        elif manifest["leak"] and not function:
            unnamed = True
        else:
            alarms += 1
    return found, alarms, unnamed and not found


def go_profile(path, manifest):
    """(found, false alarms) for Go's goroutineleak profile (debug=2): goroutines marked leaked."""
    try:
        text = open(path).read()
    except OSError:
        return False, 0, False
    found, alarms = False, 0
    for block in text.split("\n\n"):
        header = block.split("\n", 1)[0]
        if "(leaked)" not in header:
            continue
        functions = re.findall(r"^(?:created by )?([^\s(][^\s]*?)(?:\(.*\))?(?: in goroutine \d+)?$", block, re.M)
        if manifest["leak"] and any(names(f, manifest["responsible"]) for f in functions):
            found = True
        else:
            alarms += 1
    return found, alarms, False


rows = {}
for shape in shapes:
    base = f"{work}/steady/{shape}"
    manifest = json.load(open(f"{base}/manifest.json"))
    row = {key: ours(f"{base}/{key}.json", manifest) for key, _ in SETTINGS}
    row["go"] = go_profile(f"{base}/goroutineleak.txt", manifest)
    rows[shape] = (manifest, row)

print(f"{'shape':28} {'leak':5} " + " ".join(f"{k:>8}" for k, _ in SETTINGS) + f" {'go-leak':>8}")
for shape, (manifest, row) in rows.items():
    cells = []
    for key in [k for k, _ in SETTINGS] + ["go"]:
        found, alarms, unnamed = row[key]
        cell = ("found" if found else "unnamed" if unnamed else "MISSED") if manifest["leak"] else "ok"
        if alarms:
            cell += f"+{alarms}fa"
        cells.append(f"{cell:>8}")
    tag = "held" if manifest["heldOut"] else ""
    print(f"{shape:28} {str(manifest['leak']).lower():5} " + " ".join(cells) + f" {tag}")

print()
for subset, keep in [("tuned", lambda m: not m["heldOut"]), ("held-out", lambda m: m["heldOut"])]:
    chosen = [(m, r) for m, r in rows.values() if keep(m)]
    leaks = [x for x in chosen if x[0]["leak"]]
    healthy = [x for x in chosen if not x[0]["leak"]]
    if not chosen:
        continue
    print(f"{subset}: {len(leaks)} leaky, {len(healthy)} healthy services")
    for key, label in SETTINGS + [("go", "Go goroutineleak profile alone")]:
        found = sum(1 for m, r in leaks if r[key][0])
        alarmed = sum(1 for m, r in healthy if r[key][1])
        extra = sum(r[key][1] for m, r in leaks)
        unnamed = sum(1 for m, r in leaks if r[key][2])
        print(f"  {label:34} found {found}/{len(leaks)} (+{unnamed} seen but not named), false alarms on healthy"
              f" services {alarmed}/{len(healthy)}, other findings on leaky ones {extra}")
