import Foundation
import LeakscopeFindings
import LeakscopeLint

/// SARIF 2.1.0 for GitHub code scanning: one run, every check as a rule (with help and
/// precision), results with repository-relative URIs under `%SRCROOT%` and
/// `partialFingerprints.primaryLocationLineHash` so re-uploads do not duplicate alerts.
public enum LintSARIF {
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    struct Log: Encodable {
        var schema = LintSARIF.schema
        var version = "2.1.0"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }
    struct Run: Encodable {
        var tool: Tool
        var automationDetails: Automation
        var originalUriBaseIds: [String: ArtifactLocation]?
        var results: [Result]
        var invocations: [Invocation]
    }
    struct Automation: Encodable { var id: String }
    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]
    }
    struct Notification: Encodable {
        var level: String
        var message: Message
    }
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable {
        var name = "leakscope"
        var informationUri = "https://github.com/leakscope/leakscope"
        var semanticVersion: String
        var rules: [Rule]
    }
    struct Message: Encodable { var text: String }
    struct Help: Encodable {
        var text: String
        var markdown: String
    }
    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Help
        var defaultConfiguration: Configuration
        var properties: Properties
    }
    struct Configuration: Encodable { var level: String }
    struct Properties: Encodable {
        var tags: [String]
        var precision: String
        var problemSeverity: String
        enum CodingKeys: String, CodingKey { case tags, precision, problemSeverity = "problem.severity" }
    }
    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
        var relatedLocations: [RelatedLocation]?
        var partialFingerprints: [String: String]
        /// 0–100, only with a capture: the check's score, raised by runtime evidence (`rank(_:)`).
        var rank: Double?
        var properties: ResultProperties?
    }
    struct ResultProperties: Encodable {
        /// The runtime findings in the finding's function (`lint --capture`).
        var runtime: [RuntimeEvidence]?
        /// `low` for the low-confidence shapes (`lint --confidence low`), with the reason.
        var confidence: String?
        var confidenceNote: String?
        enum CodingKeys: String, CodingKey {
            case runtime = "leakscope/runtime", confidence = "leakscope/confidence", confidenceNote = "leakscope/confidenceNote"
        }
    }
    struct Location: Encodable { var physicalLocation: Physical }
    struct RelatedLocation: Encodable {
        var id: Int
        var physicalLocation: Physical
        var message: Message
    }
    struct Physical: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }
    struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId: String?
    }
    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int?
    }

    static func level(_ severity: Finding.Severity) -> String {
        switch severity {
        case .critical: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    /// Result `rank` with a capture: the check's score without warning or critical runtime evidence;
    /// with it, 10 above the stronger of the check's score and the strongest such runtime finding's,
    /// at most 100.
    static func rank(_ finding: LintFinding) -> Double {
        guard let strongest = finding.runtimeEvidence.filter({ $0.severity != .info }).map(\.score).max() else {
            return Double(finding.check.score)
        }
        return Double(min(100, max(finding.check.score, strongest) + 10))
    }

    /// Runtime evidence and, for a low-confidence finding, its confidence; nil when neither.
    static func properties(_ f: LintFinding) -> ResultProperties? {
        guard !f.runtimeEvidence.isEmpty || f.confidence == .low else { return nil }
        return ResultProperties(runtime: f.runtimeEvidence.isEmpty ? nil : f.runtimeEvidence,
                                confidence: f.confidence == .low ? f.confidence.rawValue : nil, confidenceNote: f.confidenceNote)
    }

    /// Result `level`: the check's; `error` when a runtime finding in the function is a warning or
    /// critical; `note` for a low-confidence finding without one.
    static func level(_ finding: LintFinding) -> String {
        if finding.runtimeEvidence.contains(where: { $0.severity != .info }) { return "error" }
        return finding.confidence == .low ? "note" : level(finding.check.severity)
    }

    /// The SARIF document. `root` is the directory URIs are made relative to (the repository).
    /// `capture`: a capture was given, so every result has a `rank` and those with runtime evidence
    /// carry it as the `leakscope/runtime` property.
    public static func render(_ findings: [LintFinding], checks: [Check], root: String, version: String,
                              errors: [String], capture: Bool = false) -> Data {
        let rules = checks.map { check in
            Rule(id: check.id, name: check.name, shortDescription: Message(text: check.summary),
                 fullDescription: Message(text: String((check.summary + ". " + check.rationale).prefix(1000))),
                 help: Help(text: "\(check.rationale)\nFix: \(check.fix).\n\nLeaks:\n\(check.bad)\n\nFixed:\n\(check.good)",
                            markdown: "\(check.rationale)\n\n**Fix:** \(check.fix).\n\nLeaks:\n```go\n\(check.bad)\n```\nFixed:\n```go\n\(check.good)\n```"),
                 defaultConfiguration: Configuration(level: level(check.severity)),
                 properties: Properties(tags: ["leak", check.kind.rawValue, "concurrency"], precision: check.precision,
                                        problemSeverity: check.severity == .critical ? "error" : check.severity == .warning ? "warning" : "recommendation"))
        }
        let index = Dictionary(uniqueKeysWithValues: checks.enumerated().map { ($1.id, $0) })
        var occurrences: [String: Int] = [:]
        let results = findings.sorted(by: LintFinding.ordered).map { f -> Result in
            let uri = relative(f.file, to: root)
            let base = "\(f.check.id)|\(uri)|\(f.function)|\(f.lineText.filter { !$0.isWhitespace })"
            occurrences[base, default: 0] += 1
            let fingerprint = "\(hash(base)):\(occurrences[base]!)"
            let related = f.related.enumerated().compactMap { (i, text) -> RelatedLocation? in
                // `path:line: text`
                let parts = text.split(separator: ":", maxSplits: 2)
                guard parts.count == 3, let line = Int(parts[1]) else { return nil }
                return RelatedLocation(id: i + 1, physicalLocation: Physical(artifactLocation: ArtifactLocation(uri: relative(String(parts[0]), to: root), uriBaseId: "%SRCROOT%"),
                                                                           region: Region(startLine: line, startColumn: nil)),
                                       message: Message(text: parts[2].trimmingCharacters(in: .whitespaces)))
            }
            return Result(ruleId: f.check.id, ruleIndex: index[f.check.id] ?? 0, level: level(f),
                          message: Message(text: "\(f.message). Fix: \(f.check.fix)."),
                          locations: [Location(physicalLocation: Physical(artifactLocation: ArtifactLocation(uri: uri, uriBaseId: "%SRCROOT%"),
                                                                          region: Region(startLine: f.line, startColumn: f.column)))],
                          relatedLocations: related.isEmpty ? nil : related,
                          partialFingerprints: ["primaryLocationLineHash": fingerprint],
                          rank: capture ? rank(f) : nil,
                          properties: properties(f))
        }
        let run = Run(tool: Tool(driver: Driver(semanticVersion: version, rules: rules)),
                      automationDetails: Automation(id: "leakscope-lint/"),
                      originalUriBaseIds: ["%SRCROOT%": ArtifactLocation(uri: URL(fileURLWithPath: root, isDirectory: true).absoluteString, uriBaseId: nil)],
                      results: results,
                      invocations: [Invocation(executionSuccessful: true,
                                               toolExecutionNotifications: errors.map { Notification(level: "warning", message: Message(text: $0)) })])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(Log(runs: [run]))) ?? Data("{}".utf8)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// `path` relative to `root` when inside it; `./` prefixes dropped; percent-encoded for a URI.
    static func relative(_ path: String, to root: String) -> String {
        var p = path
        let absoluteRoot = URL(fileURLWithPath: root).standardizedFileURL.path
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if absolute.hasPrefix(absoluteRoot + "/") { p = String(absolute.dropFirst(absoluteRoot.count + 1)) }
        while p.hasPrefix("./") { p.removeFirst(2) }
        return p.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? p
    }

    /// FNV-1a, 64 bits, as 16 hex digits.
    static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
