import Testing
import Foundation
import LeakscopeTestSupport
@testable import LeakscopeCapture
@testable import LeakscopeCollect

/// Captures against targets that refuse, stall, send 10 GB, answer HTML, redirect forever, have no
/// net/http/pprof at the prefix, or fail twice before answering. Faults at the index page fail the capture
/// with one line; faults at one profile are recorded and the capture goes on.
@Suite(.serialized) struct CaptureFaultTests {
    typealias Support = CaptureTestSupport

    /// The error of a capture that must fail, and that it wrote nothing.
    private func failure(_ target: CaptureTarget) async throws -> CaptureError {
        let directory = Support.scratchDirectory("fault")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await Support.capture(target, directory: directory)
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        switch result {
        case .success: throw CollectServerError(message: "capture of \(target.baseURL) succeeded")
        case .failure(let error):
            #expect(!error.description.contains("\n"))
            return error
        }
    }

    @Test func refusedConnectionIsRetriedThenOneLine() async throws {
        let url = "http://127.0.0.1:\(try closedLoopbackPort())"
        let started = ContinuousClock.now
        let error = try await failure(try Support.target(url, retries: 2))
        // Two retries after 250 ms and 500 ms of backoff.
        #expect(ContinuousClock.now - started >= .milliseconds(750))
        #expect(error.kind == .unreachable(.connectionRefused))
        #expect(error.description == "\(url)/debug/pprof/: connection refused (is the program running, and is net/http/pprof serving on this port?)")
    }

    @Test func notFoundAtThePrefixSaysPprofIsNotRegisteredThere() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let error = try await failure(try Support.target(server.url("/metrics/")))
        #expect(error.kind == .unreachable(.httpStatus(404)))
        #expect(error.description == "\(server.url("/metrics/")): server response: 404 Not Found (net/http/pprof not registered at this path?)")
    }

    @Test func stalledIndexTimesOut() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = server.url("/v/stall-index/debug/pprof/")
        let started = ContinuousClock.now
        let error = try await failure(try Support.target(url, timeout: .seconds(1), retries: 2))
        #expect(ContinuousClock.now - started < .seconds(6))  // a timeout is not retried
        #expect(error.kind == .unreachable(.timedOut(receivedBytes: 100)))
        #expect(error.description == "\(url): response body stalled after 100 bytes; gave up after 1s (--timeout to wait longer)")
    }

    @Test func loginPageInsteadOfTheIndexIsNotPprof() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = server.url("/v/login/debug/pprof/")
        let error = try await failure(try Support.target(url))
        #expect(error.kind == .notPprof)
        #expect(error.description == "\(url): the page here is not net/http/pprof's index (a login page or another app? check the URL and --prefix)")
    }

    @Test func redirectsForeverAtThePrefix() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let error = try await failure(try Support.target(server.url("/chain/0")))
        #expect(error.kind == .unreachable(.tooManyRedirects))
        #expect(error.description == "\(server.url("/chain/0/")): more than \(ProfileFetcher.maxRedirects) redirects")
    }

    @Test func faultyProfilesAreRecordedAndTheRestIsFetched() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let directory = Support.scratchDirectory("faulty")
        defer { try? FileManager.default.removeItem(at: directory) }
        let prefix = server.url("/v/big-heap,html-mutex,stall-block,500-allocs/debug/pprof/")
        let target = try Support.target(prefix, timeout: .seconds(2), retries: 1, maxBytes: 1 << 20)
        let manifest = try await Support.capture(target, directory: directory).get()
        #expect(manifest.status == .complete)
        let snapshot = manifest.snapshots[0]
        #expect(snapshot.entry(.heap)?.error == "\(prefix)heap?gc=1: response body passed the 1.0 MB limit; stopped reading")
        #expect(snapshot.entry(.mutex)?.error?.hasPrefix("\(prefix)mutex: got an HTML page, not a profile") == true)
        #expect(snapshot.entry(.block)?.error == "\(prefix)block: response body stalled after 100 bytes; gave up after 2s (--timeout to wait longer)")
        let allocs = try #require(manifest.onceEntry(.allocs))
        #expect(allocs.error == "\(prefix)allocs: server response: 500 Internal Server Error")
        #expect(allocs.attempts == 2)  // a 5xx is retried
        #expect(snapshot.entry(.heap)?.attempts == 1)  // a size cap is not
        #expect(manifest.failures.map(\.kind) == [.heap, .mutex, .block, .allocs])
        for kind in [CaptureManifest.Entry.Kind.goroutineStacks, .goroutine, .goroutineLeak] {
            #expect(snapshot.entry(kind)?.status == .fetched)
        }
        #expect(manifest.onceEntry(.threadcreate)?.status == .fetched)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("snap-00/heap.pb.gz").path))
        _ = try CaptureManifest.load(directory: directory)
    }

    @Test func fiveHundredsAreRetriedWithBackoffUntilTheyPass() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let directory = Support.scratchDirectory("flaky")
        defer { try? FileManager.default.removeItem(at: directory) }
        let prefix = "/v/flaky/debug/pprof/"
        let manifest = try await Support.capture(try Support.target(server.url(prefix), retries: 2), directory: directory).get()
        #expect(manifest.failures.isEmpty)
        for entry in manifest.allEntries where entry.status == .fetched {
            #expect(entry.attempts == 3)
            // 250 ms, then 500 ms between the attempts.
            #expect(entry.durationSeconds >= 0.75)
        }
        let stats = try await Support.stats(server)
        #expect(stats.counts[prefix] == 3)
        #expect(stats.counts[prefix + "heap?gc=1"] == 3)

        // One retry is not enough: the index fails after two attempts.
        let other = try await CollectServer()
        defer { other.stop() }
        let error = try await failure(try Support.target(other.url(prefix), retries: 1))
        #expect(error.kind == .unreachable(.httpStatus(500)))
        #expect(error.description == "\(other.url(prefix)): server response: 500 Internal Server Error")
        #expect(try await Support.stats(other).counts[prefix] == 2)
    }

    @Test func cpuProfilesLongerThanAMinuteAreRefused() throws {
        let directory = Support.scratchDirectory("cpu")
        #expect(throws: CaptureError(.invalidPlan, url: directory.path,
                                     "a CPU profile of 61 s is refused: at most 60 s (it holds the target's only CPU profiler that long)")) {
            try CapturePlan(snapshots: 1, interval: .seconds(1), cpuSeconds: 61, directory: directory)
        }
        #expect(try CapturePlan(snapshots: 1, interval: .seconds(1), cpuSeconds: 60, directory: directory).cpuSeconds == 60)
        #expect(throws: CaptureError.self) {
            try CapturePlan(snapshots: 0, interval: .seconds(1), cpuSeconds: 0, directory: directory)
        }
    }
}
