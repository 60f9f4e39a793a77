/// Each check's precision on code it was never tuned on: the findings of every first pass over
/// projects not used before (sessions 6–38 of docs/LINT.md, `--tests`, each finding read in its
/// source, low-confidence ones included) and how many of them were real. The SARIF `precision` of a rule is derived from it, so
/// the label code scanning sorts alerts by is the one the evaluation measured, not a guess.
///
/// Keep the counts equal to the table under *Per-check precision on unseen code* in docs/LINT.md
/// (`MeasuredPrecisionTests` compares them).
public struct MeasuredPrecision: Sendable, Hashable {
    /// First-pass findings on unseen code.
    public var findings: Int
    /// Of those, the ones that really hold something at run time.
    public var real: Int

    public init(findings: Int, real: Int) {
        self.findings = findings
        self.real = real
    }

    /// Where the four labels GitHub code scanning recognises (`very-high`, `high`, `medium`,
    /// `low`; it defines the names, not numbers) start, as a share of real findings.
    public enum Thresholds {
        public static let veryHigh = 0.90
        public static let high = 0.75
        public static let medium = 0.50
        /// Fewer first-pass findings than this say too little: such a check is labelled `medium`
        /// (neither claimed precise nor written off).
        public static let minimumFindings = 5
    }

    /// `real / findings`, nil without findings.
    public var share: Double? { findings == 0 ? nil : Double(real) / Double(findings) }

    /// The SARIF label for this record.
    public var label: String {
        guard findings >= Thresholds.minimumFindings, let share else { return "medium" }
        if share >= Thresholds.veryHigh { return "very-high" }
        if share >= Thresholds.high { return "high" }
        if share >= Thresholds.medium { return "medium" }
        return "low"
    }

    /// The cumulative first-pass record by check ID (sessions 6 to 39).
    public static let firstPass: [String: MeasuredPrecision] = [
        "LS001": MeasuredPrecision(findings: 1047, real: 731),
        "LS002": MeasuredPrecision(findings: 597, real: 492),
        "LS003": MeasuredPrecision(findings: 559, real: 5),
        "LS004": MeasuredPrecision(findings: 2149, real: 1320),
        "LS005": MeasuredPrecision(findings: 40, real: 8),
        "LS006": MeasuredPrecision(findings: 348, real: 255),
        "LS007": MeasuredPrecision(findings: 27, real: 21),
        "LS008": MeasuredPrecision(findings: 208, real: 54),
        "LS009": MeasuredPrecision(findings: 891, real: 66),
    ]

    /// The SARIF precision label of check `id`.
    public static func label(_ id: String) -> String {
        (firstPass[id] ?? MeasuredPrecision(findings: 0, real: 0)).label
    }
}
