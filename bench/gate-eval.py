#!/usr/bin/env python3
"""A/A false-alarm rate and detection power of `leakscope gate bench`, next to the naive rules CI
setups use, on a real Go benchmark suite (Tests/Fixtures/go/gatebench) on this machine.

Each trial runs six variants of the compiled suite round-robin, --count times each (A, A', +2 %,
+5 %, +10 %, +20 %: GATEBENCH_SLOWDOWN makes every benchmark do that much more work per op), so
every comparison is an interleaved same-machine A/B, as docs/GATE.md recommends. Then, for
A vs A' (nothing changed) and A vs each slowdown, it asks every rule "would CI fail?":

  leakscope        `leakscope gate bench` exit 1 (U test, Holm across rows, significant AND > 5 %)
  leakscope-nocorr the same with --no-correction (each row at alpha alone, like benchstat)
  benchstat+       benchstat's text grepped for a `+N.NN% (p=` row, as many CI scripts do
                   (only when a benchstat binary is given with --benchstat)
  single>10%       one run each, any benchmark more than 10 % slower (cob's default)
  single>200%      one run each, any benchmark more than 2x slower (github-action-benchmark's
                   default alert-threshold of 200 %)

Usage: bench/gate-eval.py [--trials 20] [--count 10] [--benchstat /path/to/benchstat]
Needs: go (GOTOOLCHAIN=local), a built leakscope (.build/debug/leakscope or $LEAKSCOPE_BIN).
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE = os.path.join(ROOT, "Tests/Fixtures/go/gatebench")
VARIANTS = [("A", 0.0), ("A'", 0.0), ("+2%", 0.02), ("+5%", 0.05), ("+10%", 0.10), ("+20%", 0.20)]
RULES = ["leakscope", "leakscope-nocorr", "benchstat+", "single>10%", "single>200%"]


def run(cmd, env=None, cwd=None):
    return subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)


def ns_per_op(text):
    """benchmark name -> ns/op of the first result line per name."""
    out = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 4 and f[0].startswith("Benchmark") and f[3] == "ns/op" and f[0] not in out:
            out[f[0]] = float(f[2])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--benchtime", default="10ms")
    ap.add_argument("--bench", default="^Benchmark(Mix|MixSizes)$")
    ap.add_argument("--benchstat", default=None)
    ap.add_argument("--json", default=None, help="write raw results here")
    args = ap.parse_args()

    leakscope = os.environ.get("LEAKSCOPE_BIN") or os.path.join(ROOT, ".build/debug/leakscope")
    env = dict(os.environ, GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="")
    work = tempfile.mkdtemp(prefix="gate-eval-")
    binary = os.path.join(work, "gatebench.test")
    r = run(["go", "test", "-c", "-o", binary, "."], env=env, cwd=SUITE)
    if r.returncode != 0:
        sys.exit("go test -c failed: " + r.stderr)

    alarms = {(rule, name): 0 for rule in RULES for name, _ in VARIANTS[1:]}
    started = time.time()
    load = []
    for trial in range(args.trials):
        outputs = {name: "" for name, _ in VARIANTS}
        for _ in range(args.count):
            for name, slowdown in VARIANTS:
                e = dict(env, GATEBENCH_SLOWDOWN=str(slowdown))
                r = run([binary, "-test.run", "^$", "-test.bench", args.bench, "-test.count", "1",
                         "-test.benchtime", args.benchtime, "-test.benchmem"], env=e, cwd=SUITE)
                if r.returncode != 0:
                    sys.exit("benchmark run failed: " + r.stderr)
                outputs[name] += r.stdout
        load.append(os.getloadavg()[0])
        files = {}
        for name, _ in VARIANTS:
            files[name] = os.path.join(work, f"t{trial}-{name.replace('%', 'pc').replace(chr(39), 'b')}.txt")
            with open(files[name], "w") as f:
                f.write(outputs[name])
        for name, _ in VARIANTS[1:]:
            old, new = files["A"], files[name]
            g = run([leakscope, "gate", "bench", old, new])
            if g.returncode not in (0, 1):
                sys.exit("leakscope failed: " + g.stderr)
            alarms[("leakscope", name)] += g.returncode == 1
            g = run([leakscope, "gate", "bench", "--no-correction", old, new])
            alarms[("leakscope-nocorr", name)] += g.returncode == 1
            if args.benchstat:
                b = run([args.benchstat, old, new])
                alarms[("benchstat+", name)] += bool(re.search(r"\+\d+\.\d+% \(p=", b.stdout))
            a, c = ns_per_op(outputs["A"]), ns_per_op(outputs[name])
            ratios = [c[k] / a[k] for k in a if k in c and a[k] > 0]
            alarms[("single>10%", name)] += any(x > 1.10 for x in ratios)
            alarms[("single>200%", name)] += any(x > 2.0 for x in ratios)
        done = trial + 1
        print(f"trial {done}/{args.trials}: {time.time() - started:.0f}s, load {load[-1]:.1f}", file=sys.stderr)

    rules = [r for r in RULES if args.benchstat or r != "benchstat+"]
    print(f"gate-eval: {args.trials} trials, -count {args.count} per side interleaved, benchtime {args.benchtime}, "
          f"bench {args.bench}, load average {min(load):.1f}–{max(load):.1f}, {time.time() - started:.0f}s")
    print()
    print("| rule | A/A false alarms | +2% | +5% | +10% | +20% |")
    print("|---|---:|---:|---:|---:|---:|")
    for rule in rules:
        cells = [f"{100 * alarms[(rule, name)] / args.trials:.0f}%" for name, _ in VARIANTS[1:]]
        print(f"| {rule} | " + " | ".join(cells) + " |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"trials": args.trials, "count": args.count, "load": load,
                       "alarms": {f"{r}|{n}": v for (r, n), v in alarms.items()}}, f, indent=1)


if __name__ == "__main__":
    main()
