import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeCapture

/// The issue's "done when": `leakscope diagnose URL` pointed at `examples/leaky-service` under load
/// names the responsible functions, and says nothing alarming about the healthy service.
/// One service at a time, and each diagnosis runs as the only child process (`exclusive`): CPU
/// profiles and growth rates need the machine to themselves.
@Suite(.serialized) struct DiagnoseLiveTests {
    struct Report: Decodable {
        struct Site: Decodable { var function: String; var file: String; var line: Int }
        struct Finding: Decodable {
            var kind: String
            var severity: String
            var title: String
            var location: Site?
            var hint: String
        }
        var target: String?
        var findings: [Finding]
        var notes: [String]
    }

    /// Each fault, the function its README names as responsible, and the finding kinds that may
    /// name it (leaked response bodies show both as client goroutines and as the memory they retain).
    static let faults: [(fault: String, function: String, kind: String)] = [
        ("chan-send", "main.queryInventory", "goroutine-leak"),
        ("select-no-ctx", "main.watchTopic", "goroutine-leak"),
        ("global-chan", "main.deliverNotifications", "goroutine-leak"),
        ("lock-held", "main.(*ledger).post", "goroutine-leak"),
        ("heap-cache", "main.(*reportCache).store", "heap-growth"),
        ("heap-slice", "main.appendAudit", "heap-growth"),
        ("cpu-regexp", "main.normalizeSKU", "cpu-hotspot"),
        ("contention", "main.(*priceBook).price", "lock-contention"),
        ("body-leak", "main.fetchUpstreamPrice", "goroutine-leak|heap-growth"),
    ]

    func diagnose(_ service: LeakyService, _ extra: [String] = []) async throws -> (Report, ProcessResult) {
        let result = try await LeakscopeBinary.run(["diagnose", service.url, "--snapshots", "3", "--interval", "4s",
                                                    "--cpu-seconds", "5", "--format", "json", "--quiet"] + extra,
                                                   slot: .alreadyHeld)
        guard result.exitCode == 0 else { throw LeakyServiceError(message: "diagnose failed: \(result.summary)") }
        return (try JSONDecoder().decode(Report.self, from: Data(result.stdout)), result)
    }

    /// All nine faults in one service under load, one diagnosis: each fault's function is named
    /// with its kind at warning or above, and nothing alarming names any other application function.
    /// (One service start instead of nine; that the culprit also ranks first is checked per fault by
    /// `prefixTokenAndOlderGo` and `interruptedCaptureIsStillDiagnosed`.)
    @Test func everyFaultIsNamed() async throws {
        try await LeakyService.build(toolchain: .current)
        try await ChildSlots.shared.withSlots(for: .all) {
            let service = try await LeakyService(faults: Self.faults.map(\.fault))
            defer { service.stop() }
            try await service.startLoad(rps: 150, seconds: 60)
            // Let the load reach a steady state: bounded caches fill, pools start.
            await pause(seconds: 4)
            let (report, _) = try await diagnose(service)
            let titles = report.findings.map { "\($0.severity) \($0.kind) \($0.location?.function ?? "-")" }
            for (fault, function, kinds) in Self.faults {
                let kinds = kinds.split(separator: "|").map(String.init)
                let named = report.findings.filter { $0.location?.function == function && kinds.contains($0.kind) }
                let strongest = try #require(named.first, "\(fault): \(function) not named; findings: \(titles)")
                #expect(strongest.severity != "info", "\(fault): \(strongest.title)")
                #expect(strongest.location?.file.hasSuffix(".go") == true, "\(fault)")
                #expect(!strongest.hint.isEmpty, "\(fault)")
            }
            let responsible = Set(Self.faults.map(\.function))
            let strays = report.findings.filter { $0.severity != "info" && $0.location.map { !responsible.contains($0.function) } == true }
            #expect(strays.isEmpty, "alarming findings at functions no fault is in: \(strays.map(\.title))")
        }
    }

    @Test func healthyServiceRaisesNothingAlarming() async throws {
        try await LeakyService.build(toolchain: .current)
        try await ChildSlots.shared.withSlots(for: .all) {
            let service = try await LeakyService(faults: [])
            defer { service.stop() }
            try await service.startLoad(rps: 150, seconds: 60)
            await pause(seconds: 4)
            let kept = TestPaths.scratch.appendingPathComponent("leaky-healthy-\(getpid())")
            try? FileManager.default.removeItem(at: kept)
            defer { try? FileManager.default.removeItem(at: kept) }
            let (report, _) = try await diagnose(service, ["--out", kept.path])
            let alarming = report.findings.filter { $0.severity != "info" }
            #expect(alarming.isEmpty, "\(alarming.map(\.title))")
            // The kept capture reads the same as text, and a CI gate on it passes.
            let text = try await LeakscopeBinary.run(["diagnose", kept.path, "--fail-on", "warning"], slot: .alreadyHeld)
            #expect(text.exitCode == 0, "\(text.stdoutText)")
            #expect(text.stdoutText.contains("No problems found."), "\(text.stdoutText)")
            #expect(text.stdoutText.contains("What was checked"))
        }
    }

    @Test func prefixTokenAndOlderGo() async throws {
        try await LeakyService.build(toolchain: .debian119)
        try await ChildSlots.shared.withSlots(for: .all) {
            // go1.19 has no goroutineleak profile: growth alone must still name the leak.
            let service = try await LeakyService(faults: ["chan-send"], arguments: ["-pprof-prefix", "/internal/pprof/", "-token", "s3cret"],
                                           toolchain: .debian119)
            defer { service.stop() }
            try await service.startLoad(rps: 100, seconds: 60, toolchain: .debian119)
            await pause(seconds: 2)
            let denied = try await LeakscopeBinary.run(["diagnose", service.url + "/internal/pprof/", "--snapshots", "1", "--cpu-seconds", "0"],
                                                       slot: .alreadyHeld)
            #expect(denied.exitCode == 2)
            #expect(denied.stderrText.hasPrefix("leakscope: "), "\(denied.stderrText)")
            #expect(denied.stderrText.split(separator: "\n").count == 1, "\(denied.stderrText)")
            let (report, _) = try await diagnose(service, ["--prefix", "/internal/pprof/", "--header", "Authorization: Bearer s3cret"])
            #expect(report.findings.first?.location?.function == "main.queryInventory", "\(report.findings.prefix(3).map(\.title))")
            #expect(report.notes.contains { $0.contains("goroutineleak profile not available") }, "\(report.notes)")
        }
    }

    /// Ctrl-C during a long capture still gives a diagnosis of what was fetched.
    @Test func interruptedCaptureIsStillDiagnosed() async throws {
        try await LeakyService.build(toolchain: .current)
        try await ChildSlots.shared.withSlots(for: .all) {
            let service = try await LeakyService(faults: ["chan-send"])
            defer { service.stop() }
            try await service.startLoad(rps: 150, seconds: 60)
            await pause(seconds: 4)
            let directory = TestPaths.scratch.appendingPathComponent("leaky-interrupt-\(getpid())")
            try? FileManager.default.removeItem(at: directory)
            defer { try? FileManager.default.removeItem(at: directory) }
            let process = try ChildProcess(try LeakscopeBinary.path(),
                                           ["diagnose", service.url, "--snapshots", "3", "--interval", "60s", "--cpu-seconds", "0",
                                            "--out", directory.path, "--format", "json", "--quiet"])
            defer { process.signal(SIGKILL) }
            // Wait for the first snapshot (the capture then waits 60 s for the second).
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline, !process.hasExited {
                if let manifest = try? CaptureManifest.load(directory: directory), manifest.snapshots.first?.entry(.block) != nil { break }
                await pause(seconds: 0.05)
            }
            process.signal(SIGINT)
            let run = await process.result()
            #expect(run.exitCode == 0, "\(run.summary)")
            let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout))
            #expect(report.notes.contains { $0.contains("interrupted after 1 of 3 snapshots") }, "\(report.notes)")
            // One snapshot: the leak is judged without growth, but the runtime's detector still marks it.
            #expect(report.findings.first?.location?.function == "main.queryInventory", "\(report.findings.map(\.title))")
        }
    }
}
