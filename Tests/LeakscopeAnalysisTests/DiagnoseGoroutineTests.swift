import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeDiagnose
@testable import LeakscopePresentation

/// The goroutine part of `diagnose`, on real dumps of a Go program whose leaks are known.
@Suite struct DiagnoseGoroutineTests {
    func input(_ run: GoroutineFixtures.Run, withLeakProfile: Bool) throws -> DiagnosisInput {
        var input = DiagnosisInput()
        for (i, url) in run.dumps.enumerated() {
            let time = try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date
            try input.add(name: "goroutine-\(i).txt", bytes: [UInt8](try Data(contentsOf: url)), time: time?.timeIntervalSince1970)
        }
        if withLeakProfile, let leak = run.leakDumps.last {
            try input.add(name: "goroutineleak.txt", bytes: [UInt8](try Data(contentsOf: leak)), kind: .goroutineLeak)
        }
        input.orderByTime()
        return input
    }

    @Test(arguments: GoroutineFixtures.Toolchain.allCases)
    func growingLeakRanksFirstWithItsFunctionAndFix(_ toolchain: GoroutineFixtures.Toolchain) async throws {
        let run = try await GoroutineFixtures.run(.grow, toolchain)
        let report = Diagnosis.run(try input(run, withLeakProfile: toolchain == .current))
        let counts = try #require(run.manifest.groups.first { $0.function == "main.fetchBackend" }?.counts)
        let first = try #require(report.findings.first)
        #expect(first.kind == .goroutineLeak)
        #expect(first.location?.function == "main.fetchBackend")
        #expect(first.location?.file.hasSuffix("grow.go") == true)
        #expect(first.severity != .info)
        #expect(first.title.hasPrefix("Goroutines leak in main.fetchBackend (goroutines/grow.go:"))
        #expect(first.title.contains("\(counts.last!.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))) blocked on chan send"))
        #expect(first.evidence.series == counts.map(Double.init))
        #expect(first.hint.contains("ctx.Done()"))
        // The subscribers on a global channel are the second finding; nothing else alarms.
        let second = try #require(report.findings.dropFirst().first)
        #expect(second.location?.function == "main.watchConfig")
        #expect(report.alarming.count == 2, "\(report.alarming.map(\.title))")
        if toolchain == .current {
            // go1.27's goroutineleak profile sees the unreachable channel, not the global one.
            #expect(first.evidence.summary.contains("goroutineleak detector marked"))
            #expect(second.evidence.summary.contains("does not list them"))
        }
        let section = try #require(report.sections.first { $0.name == "goroutines" })
        #expect(section.charts.first?.points.count == run.dumps.count)
    }

    @Test func healthyServiceRaisesNothing() async throws {
        let run = try await GoroutineFixtures.run(.healthy, .current)
        let report = Diagnosis.run(try input(run, withLeakProfile: false))
        #expect(report.alarming.isEmpty, "\(report.alarming.map(\.title))")
        let text = DiagnosisText.render(report)
        #expect(text.hasPrefix("No problems found."))
        #expect(text.contains("goroutines: \(run.dumps.count) dump"))
    }

    @Test func jsonAndHTMLCarryTheFindings() async throws {
        let run = try await GoroutineFixtures.run(.grow, .current)
        let report = Diagnosis.run(try input(run, withLeakProfile: false))
        let json = try #require(try JSONSerialization.jsonObject(with: DiagnosisJSON.render(report)) as? [String: Any])
        #expect(json["format"] as? String == "leakscope-diagnosis/1")
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.count == report.findings.count)
        #expect(findings.first?["kind"] as? String == "goroutine-leak")
        #expect((findings.first?["location"] as? [String: Any])?["function"] as? String == "main.fetchBackend")
        let html = DiagnosisHTML.render(report)
        #expect(html.contains("Goroutines leak in main.fetchBackend"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }
}
