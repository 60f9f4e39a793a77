import LeakscopeFindings
import LeakscopeFormat
import LeakscopeGate

/// A gate's results as test cases, for CI systems that read JUnit XML or GitHub workflow commands.
public struct GateCase: Sendable, Hashable {
    public enum Status: Sendable, Hashable { case passed, failed, skipped }
    /// `pkg.Benchmark unit`, an endpoint and limit, a leaked goroutine group, a function.
    public var name: String
    public var status: Status
    /// Why it failed or was skipped.
    public var message: String
    /// The source place to annotate, when there is one.
    public var site: SourceSite?

    public init(name: String, status: Status, message: String, site: SourceSite? = nil) {
        self.name = name
        self.status = status
        self.message = message
        self.site = site
    }
}

/// JUnit XML (`--format junit`) and GitHub annotations (`--format github`) from `GateCase`s.
public enum GateCaseViews {
    /// One `<testsuite>`; failures carry the message, inconclusive cases are `<skipped>`.
    public static func junit(gate: String, _ cases: [GateCase]) -> String {
        let failures = cases.filter { $0.status == .failed }.count
        let skipped = cases.filter { $0.status == .skipped }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuite name=\"leakscope gate \(gate)\" tests=\"\(cases.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
        for item in cases {
            out += "  <testcase classname=\"leakscope.gate.\(gate)\" name=\"\(escape(item.name))\""
            switch item.status {
            case .passed: out += "/>\n"
            case .failed: out += ">\n    <failure message=\"\(escape(item.message))\"/>\n  </testcase>\n"
            case .skipped: out += ">\n    <skipped message=\"\(escape(item.message))\"/>\n  </testcase>\n"
            }
        }
        return out + "</testsuite>\n"
    }

    /// `::error` lines for failures and `::warning` lines for inconclusive cases; passes print nothing.
    public static func github(gate: String, _ cases: [GateCase]) -> String {
        var out = ""
        for item in cases where item.status != .passed {
            var properties = "title=" + property("leakscope gate \(gate): \(item.name)")
            if let site = item.site, !site.file.isEmpty {
                properties = "file=\(property(site.file)),line=\(site.line)," + properties
            }
            out += "::\(item.status == .failed ? "error" : "warning") \(properties)::\(data(item.message))\n"
        }
        return out
    }

    /// Cases of `gate bench`: one per benchmark and unit.
    public static func cases(_ c: BenchComparison) -> [GateCase] {
        c.rows.map { row in
            let name = (row.key.package.isEmpty ? "" : row.key.package + ".") + row.key.name + " " + row.key.unit
            let status: GateCase.Status = row.outcome == .regression ? .failed : row.outcome == .inconclusive ? .skipped : .passed
            let change = row.change.map(Numbers.change) ?? "?"
            let p = (row.adjustedP ?? row.p).map { " (p=" + Numbers.pValue($0) + ")" } ?? ""
            return GateCase(name: name, status: status, message: row.note ?? "\(change)\(p), limit +\(Numbers.percentage(row.maxRegression * 100))")
        }
    }

    /// Cases of `gate load`: one per endpoint and limit.
    public static func cases(_ c: LoadCheck) -> [GateCase] {
        c.checks.map { check in
            GateCase(name: "\(check.endpoint ?? "(all)") \(check.metric)",
                     status: check.outcome == .fail ? .failed : check.outcome == .inconclusive ? .skipped : .passed,
                     message: check.text)
        }
    }

    /// Cases of `gate heap` and `gate leaks`: one per finding (a passing gate has one passing case).
    public static func cases(findings: [Finding], gate: String) -> [GateCase] {
        guard !findings.isEmpty else { return [GateCase(name: gate, status: .passed, message: "")] }
        return findings.map { GateCase(name: $0.title, status: .failed, message: $0.evidence.summary, site: $0.location) }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            default: out.append(c)
            }
        }
        return out
    }

    /// GitHub workflow-command escaping for the message (`%`, CR, LF) and for properties (also `:` and `,`).
    static func data(_ text: String) -> String {
        text.replacingPercent().replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }
    static func property(_ text: String) -> String {
        data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}

extension String {
    fileprivate func replacingPercent() -> String { replacing("%", with: "%25") }
}
