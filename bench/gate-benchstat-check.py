#!/usr/bin/env python3
"""Our `gate bench` numbers next to benchstat's on the same files: medians, CI half-widths, the
change and the U test's p-value (benchstat prints p with three decimals, so that is the precision
compared). Rows are matched by benchmark name and unit.

Usage: bench/gate-benchstat-check.py --benchstat /path/to/benchstat OLD NEW [OLD NEW …]
(benchstat: golang.org/x/perf/cmd/benchstat, e.g. built from a checkout of x/perf @712aea8)
"""
import argparse, csv, io, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def benchstat_rows(benchstat, old, new):
    out = subprocess.run([benchstat, "-format", "csv", old, new], capture_output=True, text=True).stdout
    rows, unit = {}, None
    for rec in csv.reader(io.StringIO(out)):
        if len(rec) >= 7 and rec[0] == "":
            unit = rec[1]
            continue
        if len(rec) >= 7 and rec[0] and rec[0] != "geomean" and unit:
            p = rec[6].split()[0] if rec[6].startswith("p=") else None
            rows[(rec[0], unit)] = {"old": float(rec[1]), "new": float(rec[3]),
                                    "p": float(p[2:]) if p else None, "change": rec[5]}
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--benchstat", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    leakscope = os.environ.get("LEAKSCOPE_BIN") or os.path.join(ROOT, ".build/debug/leakscope")
    compared = p_equal = median_equal = 0
    worst = []
    for old, new in zip(args.files[0::2], args.files[1::2]):
        ours = json.loads(subprocess.run([leakscope, "gate", "bench", "--format", "json", "--no-correction", old, new],
                                         capture_output=True, text=True).stdout)["results"]
        theirs = benchstat_rows(args.benchstat, old, new)
        for row in ours:
            name = row["benchmark"]
            # benchstat prints the name without the -N suffix when every result has the same one.
            key = next((k for k in [(name, row["unit"]), (name.rsplit("-", 1)[0], row["unit"])] if k in theirs), None)
            if key is None or "old" not in row:
                continue
            t = theirs[key]
            compared += 1
            same_median = abs(row["old"]["median"] - t["old"]) <= 1e-9 * abs(t["old"]) and \
                abs(row["new"]["median"] - t["new"]) <= 1e-9 * abs(t["new"])
            median_equal += same_median
            ours_p = row.get("p", 1.0)
            if t["p"] is None or round(ours_p, 3) == t["p"]:
                p_equal += 1
            else:
                worst.append((key, ours_p, t["p"]))
    print(f"rows compared: {compared}; medians equal: {median_equal}; p equal to benchstat's 3 decimals: {p_equal}")
    for key, ours_p, their_p in worst[:10]:
        print(f"  differs: {key}: ours p={ours_p:.4f}, benchstat p={their_p:.3f}")


if __name__ == "__main__":
    main()
