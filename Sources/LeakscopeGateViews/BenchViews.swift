import LeakscopeFormat
import LeakscopeGate
import LeakscopeGateFormats
import LeakscopeStatistics

/// `gate bench` rendered as text (benchstat-like), Markdown (a PR comment) and JSON results.
public enum BenchViews {
    /// A benchstat-like table per package: median ± CI for old and new, the change, p and n, and
    /// the verdict per row; then the gate's verdict.
    public static func text(_ c: BenchComparison, cpu: FunctionDelta? = nil, top: Int = 10) -> String {
        var out = "leakscope gate bench: \(c.oldSource) → \(c.newSource)\n"
        for (key, value) in c.configuration { out += "\(key): \(value)\n" }
        var package: String? = nil
        var table = TextTable()
        func flush() {
            if !table.rows.isEmpty { out += table.render(); table = TextTable() }
        }
        for row in c.rows {
            if row.key.package != package {
                flush()
                package = row.key.package
                out += "\n" + (row.key.package.isEmpty ? "" : "pkg: \(row.key.package)\n")
                table.add(["", "unit", "old", "new", "change", "", "verdict"])
            }
            table.add([row.key.name, row.key.unit, summary(row.old, unit: row.key.unit), summary(row.new, unit: row.key.unit),
                       changeText(row), statsText(row), verdictText(row)])
        }
        flush()
        if let cpu { out += "\n" + cpuText(cpu, top: top) }
        out += "\n" + footer(c) + "\n"
        return out
    }

    /// The functions whose own CPU time grew most between the two CPU profiles.
    public static func cpuText(_ cpu: FunctionDelta, top: Int) -> String {
        let total = cpu.newTotal - cpu.oldTotal
        var out = "CPU profile (\(cpu.sampleType)): \(amount(cpu.oldTotal, cpu.unit)) → \(amount(cpu.newTotal, cpu.unit))"
            + " (\(total < 0 ? "-" : "+")\(amount(abs(total), cpu.unit))); functions that grew most:\n"
        var table = TextTable()
        table.add(["growth", "old", "new", "function"])
        for row in cpu.rows.prefix(top) where row.growth > 0 {
            table.add(["+" + amount(row.growth, cpu.unit), amount(row.old, cpu.unit), amount(row.new, cpu.unit), row.function])
        }
        return out + table.render(indent: "  ")
    }

    /// The top growing functions as JSON.
    public static func cpuResults(_ cpu: FunctionDelta, top: Int) -> [String: Any] {
        ["sampleType": cpu.sampleType, "unit": cpu.unit, "oldTotal": cpu.oldTotal, "newTotal": cpu.newTotal,
         "functions": cpu.rows.prefix(top).filter { $0.growth > 0 }.map {
             ["function": $0.function, "file": $0.file, "line": $0.line, "old": $0.old, "new": $0.new, "growth": $0.growth]
         }]
    }

    static func amount(_ value: Double, _ unit: String) -> String {
        unit == "nanoseconds" ? Numbers.significant(value / 1e9, digits: 3) + "s"
            : unit == "bytes" ? Numbers.bytes(value) : Numbers.count(value)
    }

    /// A Markdown section for a pull-request comment: verdict first, then the table.
    public static func markdown(_ c: BenchComparison, cpu: FunctionDelta? = nil, top: Int = 10) -> String {
        var out = "### leakscope gate bench: \(c.verdict == .fail ? "❌ regression" : c.verdict == .inconclusive ? "⚠️ inconclusive" : "✅ pass")\n\n"
        out += footer(c) + "\n\n"
        out += "| Benchmark | Unit | Old | New | Change | p (Holm) | Verdict |\n|---|---|---:|---:|---:|---:|---|\n"
        for row in c.rows {
            let name = row.key.package.isEmpty ? row.key.name : "\(row.key.package).\(row.key.name)"
            out += "| `\(name)` | \(row.key.unit) | \(summary(row.old, unit: row.key.unit)) | \(summary(row.new, unit: row.key.unit)) | "
                + "\(changeText(row)) | \(row.adjustedP.map(Numbers.pValue) ?? "") | \(verdictText(row)) |\n"
        }
        if let cpu {
            out += "\n<details><summary>Functions whose CPU time grew most</summary>\n\n| Growth | Old | New | Function |\n|---:|---:|---:|---|\n"
            for row in cpu.rows.prefix(top) where row.growth > 0 {
                out += "| +\(amount(row.growth, cpu.unit)) | \(amount(row.old, cpu.unit)) | \(amount(row.new, cpu.unit)) | `\(row.function)` |\n"
            }
            out += "\n</details>\n"
        }
        return out
    }

    /// The `results` of the JSON report.
    public static func results(_ c: BenchComparison) -> [[String: Any]] {
        c.rows.map { row in
            var object: [String: Any] = ["package": row.key.package, "benchmark": row.key.name, "unit": row.key.unit,
                                         "outcome": row.outcome.rawValue, "better": row.better.rawValue,
                                         "maxRegression": row.maxRegression]
            if let old = row.old { object["old"] = interval(old) }
            if let new = row.new { object["new"] = interval(new) }
            if let change = row.change { object["change"] = change }
            if let p = row.p { object["p"] = p }
            if let adjusted = row.adjustedP { object["adjustedP"] = adjusted }
            if let note = row.note { object["note"] = note }
            return object
        }
    }

    static func interval(_ i: MedianInterval) -> [String: Any] {
        var object: [String: Any] = ["median": i.median, "n": i.count]
        if let low = i.low, let high = i.high { object["low"] = low; object["high"] = high }
        return object
    }

    static func summary(_ i: MedianInterval?, unit: String) -> String {
        guard let i else { return "-" }
        let value = Numbers.benchmark(i.median, unit: unit)
        guard let half = i.relativeHalfWidth else { return value + (i.count < 6 ? " ¹" : " ± 0%") }
        return value + " ± " + Numbers.percentage(half * 100)
    }

    static func changeText(_ row: BenchComparison.Row) -> String {
        switch row.outcome {
        case .missing, .inconclusive: return "?"
        case .same: return "~"
        default: return row.change.map(Numbers.change) ?? "?"
        }
    }

    static func statsText(_ row: BenchComparison.Row) -> String {
        let n = "n=\(row.old?.count ?? 0)+\(row.new?.count ?? 0)"
        guard let p = row.adjustedP ?? row.p else { return n }
        return "(p=\(Numbers.pValue(p)) \(n))"
    }

    static func verdictText(_ row: BenchComparison.Row) -> String {
        switch row.outcome {
        case .regression: return "REGRESSION (worse by more than \(Numbers.percentage(row.maxRegression * 100)))"
        case .withinThreshold: return "worse, within \(Numbers.percentage(row.maxRegression * 100))"
        case .improvement: return "better"
        case .same: return "ok"
        case .inconclusive: return "inconclusive: \(row.note ?? "")"
        case .missing: return row.note ?? "missing"
        case .ignored: return "ignored"
        }
    }

    static func footer(_ c: BenchComparison) -> String {
        let regressions = c.rows.filter { $0.outcome == .regression }.count
        let inconclusive = c.rows.filter { $0.outcome == .inconclusive }.count
        let method = "Mann–Whitney U, α=\(Numbers.decimal(c.thresholds.alpha, places: 2))"
            + (c.thresholds.holm ? ", Holm-corrected over \(Numbers.count(c.rows.filter { $0.adjustedP != nil }.count)) rows" : "")
        switch c.verdict {
        case .fail:
            return "verdict: FAIL: \(Numbers.count(regressions)) regression\(regressions == 1 ? "" : "s") significant (\(method)) and beyond threshold"
        case .inconclusive:
            return "verdict: INCONCLUSIVE: \(Numbers.count(inconclusive)) row\(inconclusive == 1 ? "" : "s") with too few runs (\(method))"
        case .pass:
            return "verdict: PASS: no significant regression beyond threshold (\(method))"
        }
    }
}
