import Foundation
import LeakscopeFindings
import LeakscopeFormat
import LeakscopeGate

/// The JSON every gate prints with `--format json` (contracts.md):
/// `{"gate": "bench", "verdict": "pass"|"fail"|"inconclusive", "results": [...], "findings": [...]}`.
public enum GateJSON {
    /// Serialises one report; keys sorted so the output is stable.
    public static func render(gate: String, verdict: GateVerdict, results: [[String: Any]], findings: [Finding] = [],
                              extra: [String: Any] = [:]) -> [UInt8] {
        let encoder = JSONEncoder()
        let findingObjects: [Any] = findings.compactMap { finding in
            (try? encoder.encode(finding)).flatMap { try? JSONSerialization.jsonObject(with: $0) }
        }
        var object: [String: Any] = ["gate": gate, "verdict": verdict.rawValue, "results": results, "findings": findingObjects]
        object.merge(extra) { current, _ in current }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return [UInt8](data) + [UInt8(ascii: "\n")]
    }

    static func site(_ site: SourceSite?) -> Any {
        guard let site else { return NSNull() }
        return ["function": site.function, "file": site.file, "line": site.line]
    }
}

/// `gate heap` as text, Markdown and JSON results.
public enum HeapViews {
    public static func text(_ c: HeapComparison, top: Int = 10) -> String {
        var out = "leakscope gate heap: \(c.oldSource) → \(c.newSource) (\(c.sampleType))\n"
        out += "total: \(amount(c.oldTotal, c.unit)) → \(amount(c.newTotal, c.unit)) (\(signed(c.newTotal - c.oldTotal, c.unit)))\n\n"
        var table = TextTable()
        table.add(["growth", "old", "new", "function", "", "verdict"])
        for row in c.rows.prefix(top) {
            let change = row.change
            table.add([signed(change.growth, c.unit), amount(change.old, c.unit), amount(change.new, c.unit), change.function,
                       "\(SourceSite.shortFile(change.file)):\(change.line)",
                       row.failed ? "GROWTH beyond limit" : "ok"])
        }
        out += c.rows.isEmpty ? "no function changed\n" : table.render()
        let failed = c.rows.filter(\.failed).count
        let limits = "\(amount(c.thresholds.heapMaxGrowthBytes, "bytes")) and \(Numbers.percent(c.thresholds.heapMaxGrowthRatio)) per function"
        out += "\nverdict: " + (failed > 0 ? "FAIL: \(Numbers.count(failed)) function\(failed == 1 ? "" : "s") grew beyond \(limits)"
            : "PASS: no function grew beyond \(limits)") + "\n"
        return out
    }

    public static func markdown(_ c: HeapComparison, top: Int = 10) -> String {
        var out = "### leakscope gate heap: \(c.verdict == .fail ? "❌ growth" : "✅ pass") (\(c.sampleType))\n\n"
        out += "| Growth | Old | New | Function | Verdict |\n|---:|---:|---:|---|---|\n"
        for row in c.rows.prefix(top) {
            let change = row.change
            out += "| \(signed(change.growth, c.unit)) | \(amount(change.old, c.unit)) | \(amount(change.new, c.unit)) | `\(change.function)` | \(row.failed ? "❌" : "ok") |\n"
        }
        return out
    }

    public static func results(_ c: HeapComparison) -> [[String: Any]] {
        c.rows.map { row in
            let change = row.change
            var object: [String: Any] = ["function": change.function, "file": change.file, "line": change.line, "old": change.old,
                                         "new": change.new, "growth": change.growth, "failed": row.failed,
                                         "sampleType": c.sampleType, "unit": c.unit]
            if let ratio = change.ratio { object["ratio"] = ratio }
            return object
        }
    }

    static func amount(_ value: Double, _ unit: String) -> String {
        unit == "bytes" ? Numbers.bytes(value) : Numbers.count(value)
    }
    static func signed(_ value: Double, _ unit: String) -> String {
        unit == "bytes" ? Numbers.signedBytes(value) : (value < 0 ? "" : "+") + Numbers.count(value)
    }
}

/// `gate load` as text, Markdown and JSON results.
public enum LoadViews {
    public static func text(_ c: LoadCheck) -> String {
        var out = "leakscope gate load: \(c.sources.joined(separator: ", "))\n\n"
        var table = TextTable()
        table.add(["endpoint", "check", "runs", "verdict"])
        for check in c.checks {
            table.add([check.endpoint ?? "(all)", check.text, Numbers.count(check.runs), check.outcome.rawValue.uppercased()])
        }
        out += table.render()
        let failed = c.checks.filter { $0.outcome == .fail }.count
        let unknown = c.checks.filter { $0.outcome == .inconclusive }.count
        switch c.verdict {
        case .fail: out += "\nverdict: FAIL: \(Numbers.count(failed)) of \(Numbers.count(c.checks.count)) limits broken\n"
        case .inconclusive: out += "\nverdict: INCONCLUSIVE: \(Numbers.count(unknown)) limits could not be checked\n"
        case .pass: out += "\nverdict: PASS: all \(Numbers.count(c.checks.count)) limits met\n"
        }
        return out
    }

    public static func markdown(_ c: LoadCheck) -> String {
        var out = "### leakscope gate load: \(c.verdict == .fail ? "❌ contract broken" : c.verdict == .inconclusive ? "⚠️ inconclusive" : "✅ pass")\n\n"
        out += "| Endpoint | Check | Runs | Verdict |\n|---|---|---:|---|\n"
        for check in c.checks {
            out += "| `\(check.endpoint ?? "(all)")` | \(check.text) | \(check.runs) | \(check.outcome.rawValue) |\n"
        }
        return out
    }

    public static func results(_ c: LoadCheck) -> [[String: Any]] {
        c.checks.map { check in
            var object: [String: Any] = ["metric": check.metric, "limit": check.limit, "outcome": check.outcome.rawValue,
                                         "runs": check.runs, "line": check.line]
            object["endpoint"] = check.endpoint.map { $0 as Any } ?? NSNull()
            object["measured"] = check.measured.map { $0 as Any } ?? NSNull()
            if let note = check.note { object["note"] = note }
            return object
        }
    }
}

/// `gate leaks` as text, Markdown and JSON results.
public enum LeakViews {
    public static func text(_ c: LeakCheck, notes: [String] = []) -> String {
        var out = "leakscope gate leaks: \(Numbers.count(c.sources.count)) dump\(c.sources.count == 1 ? "" : "s")\n"
        for note in notes { out += "note: \(note)\n" }
        if c.leaks.isEmpty {
            out += "\nno leaked goroutines (\(Numbers.count(c.ignored)) harmless runtime/testing goroutines ignored)\n"
        }
        if c.ignoredByOption > 0 {
            out += "ignored: \(Numbers.count(c.ignoredByOption)) goroutine\(c.ignoredByOption == 1 ? "" : "s") covered by --ignore-* options\n"
        }
        for leak in c.leaks {
            out += "\nLEAK \(Numbers.count(leak.count)) goroutine\(leak.count == 1 ? "" : "s") [\(leak.state)]"
            out += leak.provenByGC ? " (proven by the goroutineleak profile)\n" : "\n"
            out += "  package: \(leak.package ?? leak.source)\n"
            if let test = leak.test { out += "  test:    \(test)\n" }
            if let wait = leak.waitSite { out += "  waits:   \(wait.short)\n" }
            if let creator = leak.creator { out += "  created: \(creator.short)\n" }
            for frame in leak.stack.prefix(6) { out += "      \(frame)\n" }
        }
        let total = c.leaks.reduce(0) { $0 + $1.count }
        out += "\nverdict: " + (c.leaks.isEmpty ? "PASS" : "FAIL: \(Numbers.count(total)) leaked goroutine\(total == 1 ? "" : "s") in \(Numbers.count(c.leaks.count)) group\(c.leaks.count == 1 ? "" : "s")") + "\n"
        return out
    }

    public static func markdown(_ c: LeakCheck) -> String {
        var out = "### leakscope gate leaks: \(c.leaks.isEmpty ? "✅ no leaks" : "❌ goroutine leaks")\n\n"
        guard !c.leaks.isEmpty else { return out }
        out += "| Goroutines | Package | Test | State | Waits at | Created by |\n|---:|---|---|---|---|---|\n"
        for leak in c.leaks {
            out += "| \(leak.count) | `\(leak.package ?? leak.source)` | \(leak.test ?? "") | \(leak.state) | `\(leak.waitSite?.short ?? "")` | `\(leak.creator?.short ?? "")` |\n"
        }
        return out
    }

    public static func results(_ c: LeakCheck) -> [[String: Any]] {
        c.leaks.map { leak in
            ["package": leak.package.map { $0 as Any } ?? NSNull(), "test": leak.test.map { $0 as Any } ?? NSNull(), "count": leak.count, "state": leak.state,
             "waitSite": GateJSON.site(leak.waitSite), "creator": GateJSON.site(leak.creator), "stack": leak.stack,
             "provenByGC": leak.provenByGC, "source": leak.source]
        }
    }
}
