import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeDiagnose

/// The CI subset of the detection corpus: real Go services run under load, diagnosed from one
/// dump, three dumps, and three dumps whose last interval was quiet. bench/detect.sh runs all of it.
@Suite struct DetectionCorpusTests {
    static let leaks = ["timeout-sender", "busy-timeout-sender", "split-two-lines", "mutex-held-blocking", "slow-helper", "waitgroup-never-done"]
    static let healthy = ["healthy-ttl-sessions", "healthy-tenant-workers", "healthy-worker-pool", "healthy-long-poll"]

    @Test(arguments: leaks)
    func leakIsFoundFromOneDumpAndFromSeveral(_ shape: String) async throws {
        let run = try await DetectionCorpus.run(shape)
        let responsible = try #require(run.manifest.responsible)
        #expect(run.manifest.leak && run.dumps.count == 3)
        for (label, indices) in [("one dump", [2]), ("three dumps", [0, 1, 2])] {
            let alarms = DetectionCorpus.alarms(try DetectionCorpus.diagnose(run, dumps: indices))
            let first = try #require(alarms.first, "\(shape), \(label): no finding")
            #expect(DetectionCorpus.names(first, responsible), "\(shape), \(label): \(alarms.map(\.title))")
            // One finding per goroutine kind: nothing else alarms. The evidence says why each
            // alarmed, so a failure on a loaded CI runner can be read from its log alone.
            #expect(alarms.count == 1, "\(shape), \(label): \(alarms.map { "\($0.title): \($0.evidence.summary)" })")
            #expect(first.location?.file.hasSuffix("detect/leaks.go") == true)
        }
    }

    @Test(arguments: ["split-two-lines", "slow-helper"])
    func leakSurvivesAQuietLastInterval(_ shape: String) async throws {
        let run = try await DetectionCorpus.run(shape, traffic: "bursty")
        let alarms = DetectionCorpus.alarms(try DetectionCorpus.diagnose(run, dumps: [0, 1, 2]))
        let first = try #require(alarms.first, "\(shape): no finding")
        #expect(DetectionCorpus.names(first, try #require(run.manifest.responsible)), "\(alarms.map(\.title))")
        #expect(first.evidence.summary.contains("in all 3 dumps"), "\(first.evidence.summary)")
    }

    @Test(arguments: healthy)
    func healthyServiceRaisesNoAlarm(_ shape: String) async throws {
        let run = try await DetectionCorpus.run(shape)
        #expect(!run.manifest.leak)
        for indices in [[2], [0, 1, 2]] {
            let alarms = DetectionCorpus.alarms(try DetectionCorpus.diagnose(run, dumps: indices))
            #expect(alarms.isEmpty, "\(shape), dumps \(indices): \(alarms.map(\.title))")
        }
    }
}
