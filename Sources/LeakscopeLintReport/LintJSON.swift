import Foundation
import LeakscopeFindings
import LeakscopeLint

/// `lint --format json`: `{"findings": […], "files": N, "lines": N, "errors": […]}`; each finding
/// carries the shared fields (kind, severity, score, title, location, evidence, hint) plus
/// `check`, `column`, `message` and `confidence` (`high` | `low`, with `confidence_note` saying why
/// when low), sorted by severity, then score.
public enum LintJSON {
    struct Document: Encodable {
        var findings: [Item]
        var files: Int
        var lines: Int
        var errors: [String]
    }

    struct Item: Encodable {
        var finding: Finding
        var check: String
        var column: Int
        var message: String
        var confidence: Confidence
        var confidenceNote: String?

        enum Keys: String, CodingKey { case check, column, message, confidence, confidenceNote = "confidence_note" }

        func encode(to encoder: Encoder) throws {
            try finding.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(check, forKey: .check)
            try container.encode(column, forKey: .column)
            try container.encode(message, forKey: .message)
            try container.encode(confidence.rawValue, forKey: .confidence)
            try container.encodeIfPresent(confidenceNote, forKey: .confidenceNote)
        }
    }

    public static func render(_ findings: [LintFinding], files: Int, lines: Int, errors: [String]) -> Data {
        let ranked = findings.sorted { a, b in
            let x = a.finding, y = b.finding
            if x.severity != y.severity { return x.severity < y.severity }
            if x.score != y.score { return x.score > y.score }
            return LintFinding.ordered(a, b)
        }
        let document = Document(findings: ranked.map { Item(finding: $0.finding, check: $0.check.id, column: $0.column, message: $0.message,
                                                         confidence: $0.confidence, confidenceNote: $0.confidenceNote) },
                                files: files, lines: lines, errors: errors)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
