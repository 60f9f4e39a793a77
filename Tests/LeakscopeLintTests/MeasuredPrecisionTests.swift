import Foundation
import Testing
import LeakscopeLint
import LeakscopeTestSupport

/// The SARIF precision each rule claims is the one docs/LINT.md measured on unseen code.
@Suite struct MeasuredPrecisionTests {
    /// The rows `| LS00N … | s6 | … | s12 | findings | real | share | label |` of the
    /// per-check table in docs/LINT.md, by ID.
    static func documented() throws -> [String: [String]] {
        let doc = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/LINT.md"), encoding: .utf8)
        guard let start = doc.firstRange(of: "### Per-check precision on unseen code") else { return [:] }
        var rows: [String: [String]] = [:]
        for line in doc[start.upperBound...].split(separator: "\n") {
            if line.hasPrefix("### ") { break }
            guard line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = cells.first, first.hasPrefix("LS0") else { continue }
            rows[String(first.prefix(5))] = cells
        }
        return rows
    }

    @Test func everyRuleFollowsTheDocumentedFirstPassTable() throws {
        let rows = try Self.documented()
        #expect(rows.count == Checks.all.count)
        for check in Checks.all {
            let record = try #require(MeasuredPrecision.firstPass[check.id])
            let cells = try #require(rows[check.id], "\(check.id) has no row")
            // … | findings | real | share | label
            try #require(cells.count >= 9, "\(check.id): check | s6 … | findings | real | share | label")
            #expect(cells[cells.count - 4] == "\(record.findings)", "\(check.id)")
            #expect(cells[cells.count - 3] == "\(record.real)", "\(check.id)")
            #expect(cells[cells.count - 1] == check.precision, "\(check.id)")
            #expect(record.real <= record.findings)
        }
    }

    @Test func labelsFollowTheThresholds() {
        #expect(MeasuredPrecision(findings: 20, real: 18).label == "very-high")
        #expect(MeasuredPrecision(findings: 20, real: 17).label == "high")
        #expect(MeasuredPrecision(findings: 20, real: 15).label == "high")
        #expect(MeasuredPrecision(findings: 20, real: 10).label == "medium")
        #expect(MeasuredPrecision(findings: 20, real: 9).label == "low")
        #expect(MeasuredPrecision(findings: 4, real: 0).label == "medium")
        #expect(MeasuredPrecision(findings: 0, real: 0).label == "medium")
    }
}
