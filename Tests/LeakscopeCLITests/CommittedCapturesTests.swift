import Foundation
import LeakscopeTestSupport
import Testing

/// The README's first command: `leakscope diagnose examples/captures/…` on the committed captures of
/// examples/leaky-service (made by examples/captures/make.sh), on any machine, without Go.
@Suite struct CommittedCapturesTests {
    struct Report: Decodable {
        struct Site: Decodable { var function: String; var file: String; var line: Int }
        struct Finding: Decodable { var kind: String; var severity: String; var title: String; var location: Site? }
        struct Section: Decodable { var name: String }
        var findings: [Finding]
        var sections: [Section]
    }

    static var captures: URL { TestPaths.packageRoot.appendingPathComponent("examples/captures") }

    func diagnose(_ name: String) async throws -> Report {
        let result = try await LeakscopeBinary.run(["diagnose", Self.captures.appendingPathComponent(name).path, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.stderrText)")
        return try JSONDecoder().decode(Report.self, from: Data(result.stdout))
    }

    @Test func leakingCaptureNamesEveryFaultAtWarningOrAbove() async throws {
        let report = try await diagnose("shop-leaks")
        // The faults make.sh switched on, with the functions examples/leaky-service/README.md names.
        let expected = ["main.queryInventory": "goroutine-leak", "main.deliverNotifications": "goroutine-leak",
                        "main.(*reportCache).store": "heap-growth", "main.normalizeSKU": "cpu-hotspot"]
        let alarming = report.findings.filter { $0.severity != "info" }
        for (function, kind) in expected {
            #expect(alarming.contains { $0.location?.function == function && $0.kind == kind }, "\(function): \(alarming.map(\.title))")
        }
        #expect(report.findings.first?.severity == "critical")
        #expect(report.findings.first.map { expected.keys.contains($0.location?.function ?? "") } == true)
        // Files in the profiles are module-relative (built with -trimpath), not this machine's paths.
        #expect(alarming.allSatisfy { $0.location?.file.hasPrefix("leakyservice/") ?? true })
        #expect(Set(report.sections.map(\.name)) == ["goroutines", "heap", "cpu", "contention", "runtime"])
    }

    @Test func healthyCaptureRaisesNothing() async throws {
        let report = try await diagnose("shop-healthy")
        #expect(report.findings.allSatisfy { $0.severity == "info" }, "\(report.findings.map(\.title))")
        let gate = try await LeakscopeBinary.run(["diagnose", "--fail-on", "warning", Self.captures.appendingPathComponent("shop-healthy").path])
        #expect(gate.exitCode == 0)
        let leaks = try await LeakscopeBinary.run(["diagnose", "--fail-on", "critical", Self.captures.appendingPathComponent("shop-leaks").path])
        #expect(leaks.exitCode == 1)
    }
}
