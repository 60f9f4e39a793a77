import Foundation
import LeakscopeTestSupport
@testable import LeakscopeDiagnose
import LeakscopeFindings

/// Runs services of the detection corpus (`Tests/Fixtures/go/detect`) and diagnoses their dumps.
enum DetectionCorpus {
    struct Manifest: Decodable {
        var shape: String
        var leak: Bool
        var heldOut: Bool
        var responsible: String?
        var dumps: [String]
        var heaps: [String]
        var leakProfile: String?
    }

    struct Run {
        var directory: URL
        var manifest: Manifest
        var dumps: [URL] { manifest.dumps.map { directory.appendingPathComponent($0) } }
        var heaps: [URL] { manifest.heaps.map { directory.appendingPathComponent($0) } }
        var leakProfile: URL? { manifest.leakProfile.map { directory.appendingPathComponent($0) } }
    }

    /// One run of `shape` (3 dumps) under `traffic` (`steady`, or `bursty`: no load in the last interval).
    /// The service's timeouts are tens of milliseconds, so it runs as a timed child: beside other
    /// tests' children on a loaded CI runner it once raised a second alarm (session 29).
    static func run(_ shape: String, traffic: String = "steady") async throws -> Run {
        let dir = try await GoFixtures.output("detect", toolchain: .current, arguments: ["-shape", shape, "-traffic", traffic],
                                              exclusive: true)
        let data = try Data(contentsOf: dir.appendingPathComponent("manifest.json"))
        return Run(directory: dir, manifest: try JSONDecoder().decode(Manifest.self, from: data))
    }

    /// `diagnose` over the given dumps of a run (indices into its dumps), plus its goroutineleak profile when asked.
    /// With `heaps`, the heap profile taken with each dump too (as a capture holds them).
    static func diagnose(_ run: Run, dumps indices: [Int], leakProfile: Bool = false, heaps: Bool = false) throws
        -> DiagnosisReport {
        var input = DiagnosisInput()
        for i in indices {
            for url in [run.dumps[i]] + (heaps ? [run.heaps[i]] : []) {
                try input.add(name: url.lastPathComponent, bytes: [UInt8](try Data(contentsOf: url)), time: Double(i))
            }
        }
        if leakProfile, let url = run.leakProfile {
            try input.add(name: url.lastPathComponent, bytes: [UInt8](try Data(contentsOf: url)), kind: .goroutineLeak)
        }
        input.orderByTime()
        return Diagnosis.run(input)
    }

    /// Goroutine-leak findings a person is alerted to (warning or critical).
    static func alarms(_ report: DiagnosisReport) -> [Finding] {
        report.findings.filter { $0.kind == .goroutineLeak && $0.severity != .info }
    }

    /// Whether a finding names `responsible` (or a closure of it) as its location.
    static func names(_ finding: Finding, _ responsible: String) -> Bool {
        guard let function = finding.location?.function else { return false }
        return function == responsible || function.hasPrefix(responsible + ".func")
    }
}
