import Foundation
import LeakscopeFindings
import LeakscopeGodebugAnalysis

/// `leakscope gctrace --format json`: the summary (verdicts, figures, chart series) and its findings.
public enum RuntimeJSON {
    /// The document written by `render`.
    public struct Document: Sendable, Codable {
        public var source: String
        /// Worst verdict: ok, warning or critical.
        public var level: RuntimeSummary.Level
        public var summary: RuntimeSummary
        /// Ranked (severity, then score).
        public var findings: [Finding]
    }

    /// Pretty-printed JSON with sorted keys (stable for diffs), no trailing newline.
    public static func render(_ summary: RuntimeSummary) -> [UInt8] {
        let document = Document(source: summary.source, level: summary.level, summary: summary, findings: summary.findings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Non-finite numbers cannot occur in the summary, but never let one fail the encoding.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? [UInt8](encoder.encode(document))) ?? Array("{}".utf8)
    }
}
