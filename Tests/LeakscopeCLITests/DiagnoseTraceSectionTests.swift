import Foundation
import LeakscopeFormat
import LeakscopeTestSupport
import Testing

/// Diagnose's "Goroutine lifecycles" section: for each execution trace given, the numbers
/// `leakscope trace --format json` reports for the same file (totals, every creation site), the block
/// time by reason summed over those sites, spawn storms, and the verdicts on snapshot findings, which
/// name the same sites with the same counts as the findings' evidence. Traces and dumps come from the
/// real Go program `Tests/Fixtures/go/trace`.
@Suite struct DiagnoseTraceSectionTests {
    struct Totals: Decodable, Equatable { var created, ended, alive, preExisting: Int }
    struct Block: Decodable, Equatable { var reason: String; var count: Int; var seconds: Double }
    struct EndState: Decodable, Equatable {
        var state, reason, function, file: String
        var line, count: Int
        var oldestSeconds: Double
    }
    struct Site: Decodable, Equatable {
        var function, file, entry: String
        var line: Int
        var preExisting: Bool
        var created, ended, alive, peakAlive: Int
        var medianLifetimeSeconds: Double?
        var createdPerGeneration: [Int]
        var blocked: [Block]
        var atEnd: [EndState]
    }
    struct Location: Decodable, Equatable { var function, file: String; var line: Int }
    struct Metric: Decodable { var name: String; var value: Double }
    struct Evidence: Decodable { var summary: String; var metrics: [Metric] }
    struct Finding: Decodable {
        var kind, severity, title: String
        var location: Location?
        var evidence: Evidence
        func metric(_ name: String) -> Double? { evidence.metrics.first { $0.name == name }?.value }
    }
    /// `leakscope trace --format json`.
    struct TraceDocument: Decodable {
        var findings: [Finding]
        var goroutines: Totals
        var sites: [Site]
        var windowSeconds: Double
        var generations, events: Int
        var traceVersion: String
    }
    struct SiteKey: Decodable, Equatable { var function, entry, file: String; var line: Int; var preExisting: Bool }
    struct Verdict: Decodable { var outcome, finding: String; var sites: [SiteKey] }
    struct Pattern: Decodable { var kind, title: String; var location: Location? }
    struct Section: Decodable {
        var name: String
        var goroutines: Totals
        var sites: [Site]
        var blocked: [Block]
        var patterns: [Pattern]
        var verdicts: [Verdict]
        var windowSeconds: Double
        var generations, events: Int
        var traceVersion: String
    }
    struct Diagnosis: Decodable { var findings: [Finding]; var traces: [Section]? }

    static func traceJSON(_ file: String, slot: ChildSlots.Use = .one) async throws -> TraceDocument {
        let result = try await LeakscopeBinary.run(["trace", file, "--format", "json"], slot: slot)
        guard result.exitCode == 0 else { throw OracleFailure("trace: \(result.summary)") }
        return try JSONDecoder().decode(TraceDocument.self, from: Data(result.stdout))
    }

    static func diagnose(_ arguments: [String]) async throws -> (json: Diagnosis, raw: [String: Any]) {
        let result = try await LeakscopeBinary.run(["diagnose", "--format", "json"] + arguments)
        guard result.exitCode == 0 || result.exitCode == 1 else { throw OracleFailure("diagnose: \(result.summary)") }
        let raw = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        return (try JSONDecoder().decode(Diagnosis.self, from: Data(result.stdout)), raw)
    }

    /// The section holds exactly what `leakscope trace` reports for the same file; its block times are
    /// the sites' summed per reason.
    static func expectAgreement(_ section: Section, _ trace: TraceDocument, name: String) {
        #expect(section.name == name)
        #expect(section.goroutines == trace.goroutines)
        #expect(section.sites == trace.sites)
        #expect(section.windowSeconds == trace.windowSeconds && section.events == trace.events
                && section.generations == trace.generations && section.traceVersion == trace.traceVersion)
        var sums: [String: (count: Int, seconds: Double)] = [:]
        for block in trace.sites.flatMap(\.blocked) {
            sums[block.reason, default: (0, 0)].count += block.count
            sums[block.reason, default: (0, 0)].seconds += block.seconds
        }
        #expect(section.blocked.count == sums.count)
        for block in section.blocked {
            let sum = sums[block.reason]
            #expect(sum?.count == block.count, "\(block.reason)")
            #expect(abs((sum?.seconds ?? -1) - block.seconds) <= 1e-9 * max(1, block.seconds), "\(block.reason)")
        }
        #expect(zip(section.blocked, section.blocked.dropFirst()).allSatisfy { $0.seconds >= $1.seconds })
        let patterns = trace.findings.filter { $0.kind == "spawn-storm" || $0.kind == "goroutine-churn" }
        #expect(section.patterns.map(\.title) == patterns.map(\.title))
        #expect(section.patterns.map(\.location) == patterns.map(\.location))
    }

    static func site(_ key: SiteKey, in sites: [Site]) -> Site? {
        sites.first { $0.function == key.function && $0.entry == key.entry && $0.line == key.line && $0.file == key.file
            && $0.preExisting == key.preExisting }
    }

    /// `  200      0        200      0.0%    ` as the text section prints a site's counts.
    static func row(_ site: Site) -> String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        let share = site.ended + site.alive > 0 ? Numbers.percent(Double(site.ended) / Double(site.ended + site.alive)) : "-"
        return "  " + pad(Numbers.count(site.created), 9) + pad(Numbers.count(site.ended), 9) + pad(Numbers.count(site.alive), 9)
            + pad(share, 8)
    }

    /// The text section's lines: from its heading to the blank line before the next part.
    static func sectionLines(_ text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Goroutine lifecycles (execution trace, ") }) else { return [] }
        return Array(lines[start...].prefix { !$0.isEmpty })
    }

    @Test func confirmedLeakSectionMatchesLeakscopeTrace() async throws {
        let (dumps, trace) = try await TraceEvidenceTests.files("leak", duration: "2s")
        let oracle = try await Self.traceJSON(trace)
        let (report, _) = try await Self.diagnose(dumps + [trace])
        let section = try #require(report.traces?.first)
        #expect(report.traces?.count == 1)
        Self.expectAgreement(section, oracle, name: trace)

        // The verdict names the site the finding's evidence names, with the same counts.
        let verdict = try #require(section.verdicts.first { $0.finding == "main.leakySender" }, "\(section.verdicts)")
        #expect(verdict.outcome == "confirmed" && verdict.sites.count == 1)
        let site = try #require(Self.site(verdict.sites[0], in: oracle.sites))
        #expect(site.function == "main.handleRequest" && site.entry == "main.leakySender")
        let finding = try #require(report.findings.first { $0.location?.function == "main.leakySender" })
        #expect(finding.metric("trace_created") == Double(site.created) && finding.metric("trace_ended") == Double(site.ended))
        let waiting = site.atEnd.filter { $0.state == "waiting" }.reduce(0) { $0 + $1.count }
        #expect(finding.evidence.summary.contains("\(Numbers.count(site.created)) goroutines running main.leakySender were created at "
                                                  + "main.handleRequest (trace/shapes.go:\(site.line))"), "\(finding.evidence.summary)")
        #expect(finding.evidence.summary.contains("\(Numbers.count(waiting)) still wait"), "\(finding.evidence.summary)")

        // Text: the same site and numbers, compact, the application's sites first.
        let text = try await LeakscopeBinary.run(["diagnose", "--color", "never"] + dumps + [trace])
        let lines = Self.sectionLines(text.stdoutText)
        #expect(lines.first == "Goroutine lifecycles (execution trace, \(Numbers.duration(seconds: oracle.windowSeconds))): \(trace)",
                "\(text.stdoutText)")
        #expect(lines.count <= 12, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.hasSuffix("goroutines: \(Numbers.count(oracle.goroutines.created)) created, "
                + "\(Numbers.count(oracle.goroutines.ended)) ended, \(Numbers.count(oracle.goroutines.alive)) alive at the end "
                + "(\(Numbers.count(oracle.goroutines.preExisting)) existed before the trace)") }, "\(lines)")
        let rowIndex = try #require(lines.firstIndex { $0.hasPrefix(Self.row(site) + "main.handleRequest → main.leakySender (trace/shapes.go:") },
                                    "\(lines.joined(separator: "\n"))")
        #expect(rowIndex == 3, "the leaking application site is the first row")
        #expect(lines[rowIndex].hasSuffix(" — confirms the leak in main.leakySender"))
        let top = try #require(site.atEnd.first)
        #expect(lines[rowIndex + 1].trimmingCharacters(in: .whitespaces)
                    .hasPrefix("\(Numbers.count(top.count)) \(top.state) \(top.reason) in \(top.function), oldest "), "\(lines[rowIndex + 1])")
        let healthy = try #require(oracle.sites.first { $0.entry == "main.healthyWorker" })
        #expect(lines.contains { $0.hasPrefix(Self.row(healthy) + "main.leakShape → main.healthyWorker (trace/shapes.go:") })
        let blocked = try #require(lines.first { $0.hasPrefix("  blocked (summed over goroutines): ") })
        let first = try #require(section.blocked.first)
        #expect(blocked.contains("\(first.reason) \(Numbers.duration(seconds: first.seconds)) (\(Numbers.count(first.count)) wait"))

        // --all lists every site; HTML has one table row per site.
        let all = try await LeakscopeBinary.run(["diagnose", "--all", "--color", "never"] + dumps + [trace])
        let allLines = Self.sectionLines(all.stdoutText)
        for site in oracle.sites {
            let name = site.preExisting ? "\(site.function.isEmpty ? "(no stack)" : site.function) (existed before the trace)"
                : "\(site.function == site.entry ? site.function : "\(site.function) → \(site.entry)") ("
            let line = site.preExisting ? "" : ":\(site.line))"
            #expect(allLines.contains { $0.hasPrefix(Self.row(site) + name) && (line.isEmpty || $0.contains(line)) }, "\(name) missing from --all")
        }
        #expect(!allLines.contains { $0.contains("more sites") })
        let html = TestPaths.scratch.appendingPathComponent("diagnose-trace-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: html) }
        _ = try await LeakscopeBinary.run(["diagnose", "--html", html.path] + dumps + [trace])
        let page = try String(contentsOf: html, encoding: .utf8)
        let start = try #require(page.range(of: "<section class=\"lifecycles\"><h2>Goroutine lifecycles (execution trace, "))
        let part = page[start.lowerBound...]
        let end = try #require(part.range(of: "</section>"))
        let table = part[..<end.lowerBound]
        #expect(table.components(separatedBy: "<td class=\"site\">").count - 1 == oracle.sites.count)
        #expect(table.contains("<div class=\"traceverdict\">confirms the leak in main.leakySender</div>"))
        #expect(table.contains("<td>\(Numbers.count(site.created))</td><td>\(Numbers.count(site.ended))</td><td>\(Numbers.count(site.alive))</td>"))
    }

    @Test func clearedSuspicionNamesTheSitesWhoseGoroutinesEnded() async throws {
        let (dumps, trace) = try await TraceEvidenceTests.files("slow", duration: "3s")
        let oracle = try await Self.traceJSON(trace)
        let (report, _) = try await Self.diagnose(dumps + [trace])
        let section = try #require(report.traces?.first)
        Self.expectAgreement(section, oracle, name: trace)
        let verdict = try #require(section.verdicts.first { $0.finding == "main.awaitReply" }, "\(section.verdicts)")
        #expect(verdict.outcome == "cleared")
        let sites = verdict.sites.compactMap { Self.site($0, in: oracle.sites) }
        #expect(sites.count == verdict.sites.count && !sites.isEmpty)
        let finding = try #require(report.findings.first { $0.location?.function == "main.awaitReply" })
        #expect(finding.severity == "info")
        #expect(finding.metric("trace_created") == Double(sites.reduce(0) { $0 + $1.created }))
        #expect(finding.metric("trace_ended") == Double(sites.reduce(0) { $0 + $1.ended }))
        let text = try await LeakscopeBinary.run(["diagnose", "--color", "never"] + dumps + [trace])
        let lines = Self.sectionLines(text.stdoutText)
        for site in sites {
            #expect(lines.contains { $0.hasPrefix(Self.row(site)) && $0.hasSuffix(" — clears the suspicion in main.awaitReply (they end)") },
                    "\(lines.joined(separator: "\n"))")
        }
    }

    /// A trace alone: no snapshot finding to judge, the storm in the section as in `leakscope trace`.
    @Test func spawnStormIsInTheSection() async throws {
        let dir = try await GoFixtures.output("trace", toolchain: .current, arguments: ["-shape", "storm", "-duration", "300ms"])
        let trace = dir.appendingPathComponent("storm.trace").path
        let oracle = try await Self.traceJSON(trace)
        let (report, _) = try await Self.diagnose([trace])
        let section = try #require(report.traces?.first)
        Self.expectAgreement(section, oracle, name: trace)
        let storm = try #require(section.patterns.first { $0.kind == "spawn-storm" }, "\(section.patterns)")
        #expect(storm.location?.function == "main.stormShape")
        #expect(section.verdicts.isEmpty)
        let text = try await LeakscopeBinary.run(["diagnose", "--color", "never", trace])
        #expect(Self.sectionLines(text.stdoutText).contains("  spawn-storm: \(storm.title)"), "\(text.stdoutText)")
    }

    @Test func noTraceNoSection() async throws {
        let (dumps, _) = try await TraceEvidenceTests.files("leak", duration: "2s")
        let (report, raw) = try await Self.diagnose(dumps)
        #expect(report.traces == nil && raw["traces"] == nil)
        let text = try await LeakscopeBinary.run(["diagnose", "--all", "--color", "never"] + dumps)
        #expect(!text.stdoutText.contains("Goroutine lifecycles"))
        let html = TestPaths.scratch.appendingPathComponent("diagnose-notrace-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: html) }
        _ = try await LeakscopeBinary.run(["diagnose", "--html", html.path] + dumps)
        #expect(!(try String(contentsOf: html, encoding: .utf8)).contains("lifecycles"))
    }
}
