import LeakscopeFindings
import LeakscopeFormat

/// The result of `leakscope diagnose`: ranked findings plus, per analysis, a short account of
/// what was looked at (so "nothing found" is visibly "checked and healthy", not "not checked").
public struct DiagnosisReport: Sendable, Codable {
    /// `leakscope-diagnosis/1`; bumped when a field changes meaning.
    public var format = "leakscope-diagnosis/1"
    /// The URL or capture directory, when known.
    public var target: String?
    public var inputs: [DiagnosisInput.Item]
    /// Most urgent first: severity, then score.
    public var findings: [Finding]
    /// One per analysis that ran, in a fixed order: goroutines, heap, cpu, contention, runtime.
    public var sections: [DiagnosisSection]
    /// What could not be used or was skipped, one line each.
    public var notes: [String]
    /// With `--source`: lint findings in functions no runtime finding names, in file order
    /// (those in functions with runtime evidence are on the findings, as `staticEvidence`).
    public var staticOnly: [StaticEvidence]?
    /// One "Goroutine lifecycles" section per execution trace given; nil (absent in JSON) without one.
    public var traces: [DiagnosisTrace]?

    public init(target: String?, inputs: [DiagnosisInput.Item], findings: [Finding], sections: [DiagnosisSection],
                notes: [String]) {
        self.target = target
        self.inputs = inputs
        self.findings = Finding.ranked(findings)
        self.sections = sections
        self.notes = notes
    }

    /// Findings at warning level or above.
    public var alarming: [Finding] { findings.filter { $0.severity != .info } }
}

/// What one analysis looked at and saw, for the report's overview.
public struct DiagnosisSection: Sendable, Codable, Hashable {
    /// `goroutines`, `heap`, `cpu`, `contention` or `runtime`.
    public var name: String
    /// One line, e.g. "3 dumps, 112 → 1,460 goroutines; 2 suspects".
    public var headline: String
    /// Further lines worth reading (top functions, verdicts).
    public var details: [String]
    public var charts: [DiagnosisChart]

    public init(name: String, headline: String, details: [String] = [], charts: [DiagnosisChart] = []) {
        self.name = name
        self.headline = headline
        self.details = details
        self.charts = charts
    }
}

/// A series to draw: goroutines per snapshot, in-use heap per snapshot, live heap per GC.
public struct DiagnosisChart: Sendable, Codable, Hashable {
    public var title: String
    /// `count`, `bytes`, `percent`, `ms` …: how values are printed.
    public var unit: String
    public var points: [Point]

    public struct Point: Sendable, Codable, Hashable {
        /// Snapshot name or position.
        public var label: String
        /// Seconds since the first point, when times are known.
        public var seconds: Double?
        public var value: Double
        public init(label: String, seconds: Double?, value: Double) {
            self.label = label
            self.seconds = seconds
            self.value = value
        }
    }

    public init(title: String, unit: String, points: [Point]) {
        self.title = title
        self.unit = unit
        self.points = points
    }

    /// A value as the chart's unit reads.
    public func format(_ value: Double) -> String {
        switch unit {
        case "bytes": Numbers.bytes(value)
        case "percent": Numbers.decimal(value, places: 1) + "%"
        case "ms": Numbers.decimal(value, places: value >= 10 ? 0 : 2) + " ms"
        default: Numbers.count(value)
        }
    }
}

extension Finding.Evidence {
    /// `series` as a chart, one point per snapshot; nil under two points. Units that mention
    /// bytes print as bytes, others as counts.
    public var seriesChart: DiagnosisChart? {
        guard let series, series.count >= 2 else { return nil }
        let unit = seriesUnit ?? ""
        return DiagnosisChart(title: unit, unit: unit.contains("bytes") ? "bytes" : "count",
                              points: series.enumerated().map { .init(label: "#\($0.offset + 1)", seconds: nil, value: $0.element) })
    }
}
