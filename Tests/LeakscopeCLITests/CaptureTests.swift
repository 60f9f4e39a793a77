import Testing
import Foundation
import LeakscopeTestSupport
@testable import LeakscopeCapture
@testable import LeakscopeCollect
@testable import LeakscopeProfile

/// `Capturer` against a real Go net/http/pprof server (the collectserver fixture) built with go1.27 and
/// with Debian's go1.19. The server's `/v/grow/` prefix starts 40 parked goroutines on every index page
/// request, so what each snapshot must contain is known exactly; `/stats` says what was requested.
@Suite(.serialized) struct CaptureTests {
    typealias Support = CaptureTestSupport

    @Test(arguments: [GoToolchain.Kind.current, .debian119])
    func threeSnapshotsRecordWhatTheServerDid(toolchain: GoToolchain.Kind) async throws {
        let server = try await CollectServer(toolchain: toolchain)
        defer { server.stop() }
        _ = try await ProfileFetcher.fetch(url: server.url("/leak?n=5"), timeout: .seconds(10))
        let directory = Support.scratchDirectory("three")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = try Support.target(server.url("/v/grow/debug/pprof/"))
        let manifest = try await Support.capture(target, snapshots: 3, interval: .milliseconds(1500), cpuSeconds: 1,
                                                 directory: directory).get()

        #expect(manifest.format == "leakscope-capture/1")
        #expect(manifest.status == .complete)
        #expect(manifest.target == server.url("/v/grow/debug/pprof/"))
        #expect(manifest.failures.isEmpty, "\(manifest.failures)")
        #expect(manifest.snapshots.map(\.index) == [0, 1, 2])
        // Snapshots start on a fixed schedule (start to start), never early.
        for snapshot in manifest.snapshots {
            #expect(snapshot.time.timeIntervalSince(manifest.snapshots[0].time) >= 1.5 * Double(snapshot.index) - 0.005)
        }
        for snapshot in manifest.snapshots {
            let parked = 40 * (snapshot.index + 1)
            // The index page counted the goroutines the server had just started.
            #expect((snapshot.goroutineCount ?? 0) >= parked)
            #expect(snapshot.profileCounts?["goroutine"] == snapshot.goroutineCount)
            #expect(snapshot.profileCounts?["heap"] != nil && snapshot.profileCounts?["threadcreate"] != nil)
            let dump = String(decoding: try Support.read(snapshot.entry(.goroutineStacks), in: directory), as: UTF8.self)
            #expect(Support.goroutines(in: dump, through: "main.parkForever") == parked)
            let goroutineProfile = try Profile.parse(try Support.read(snapshot.entry(.goroutine), in: directory))
            #expect(Support.samples(in: goroutineProfile, through: "main.parkForever") == Int64(parked))
            let heap = try Profile.parse(try Support.read(snapshot.entry(.heap), in: directory))
            #expect(heap.sampleTypes.map(\.type) == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
            #expect(heap.functions.contains { $0.name == "main.allocate" })
            #expect(try Profile.parse(try Support.read(snapshot.entry(.mutex), in: directory)).sampleTypes.count == 2)
            #expect(try Profile.parse(try Support.read(snapshot.entry(.block), in: directory)).sampleTypes.count == 2)
            for entry in snapshot.entries where entry.status == .fetched {
                let file = try #require(entry.file)
                #expect(file.hasPrefix(String(format: "snap-%02d/", snapshot.index)))
                #expect(entry.bytes == (try Data(contentsOf: directory.appendingPathComponent(file))).count)
                #expect(entry.attempts == 1)
            }
        }

        switch toolchain {
        case .current:
            #expect(manifest.goVersion == "≥ go1.26")
            for snapshot in manifest.snapshots {
                let leak = try #require(snapshot.entry(.goroutineLeak))
                #expect(leak.status == .fetched)
                let text = String(decoding: try Support.read(leak, in: directory), as: UTF8.self)
                #expect(text.hasPrefix("goroutineleak profile: total 5\n"))
                #expect(text.contains("main.leakOne"))
                #expect(snapshot.profileCounts?["goroutineleak"] != nil)
            }
        case .debian119:
            #expect(manifest.goVersion == nil)
            for snapshot in manifest.snapshots {
                let leak = try #require(snapshot.entry(.goroutineLeak))
                #expect(leak.status == .unavailable)
                #expect(leak.note == "not available (Go < 1.26)")
                #expect(leak.file == nil)
                #expect(snapshot.profileCounts?["goroutineleak"] == nil)
            }
        }

        // Once per capture: the CPU profile starts once the first snapshot is done (in the wait before the
        // second, though a busy machine can delay its task a little), not after the last snapshot.
        let cpu = try #require(manifest.onceEntry(.cpu))
        #expect(cpu.query == "seconds=1")
        let firstDone = try #require(manifest.snapshots[0].entry(.block)?.started)
        #expect(cpu.started >= firstDone && cpu.started < manifest.snapshots[2].time)
        let cpuProfile = try Profile.parse(try Support.read(cpu, in: directory))
        #expect(cpuProfile.sampleTypes.map(\.type) == ["samples", "cpu"])
        #expect(cpuProfile.durationNanos >= 900_000_000)
        #expect(try Profile.parse(try Support.read(manifest.onceEntry(.allocs), in: directory)).sampleTypes.count == 4)
        #expect(try Profile.parse(try Support.read(manifest.onceEntry(.threadcreate), in: directory)).sampleTypes.count == 1)
        let cmdline = try #require(manifest.cmdline)
        #expect(cmdline.first?.hasSuffix("/collectserver") == true)
        #expect(cmdline.contains("-lifetime") && cmdline.contains("1800s"))

        // What the server saw: each snapshot request once, one CPU profile, never two at once.
        let stats = try await Support.stats(server)
        let prefix = "/v/grow/debug/pprof/"
        #expect(stats.counts[prefix] == 3)
        #expect(stats.counts[prefix + "goroutine?debug=2"] == 3)
        #expect(stats.counts[prefix + "goroutine"] == 3)
        #expect(stats.counts[prefix + "heap?gc=1"] == 3)
        #expect(stats.counts[prefix + "goroutineleak?debug=1"] == 3)
        #expect(stats.counts[prefix + "profile?seconds=1"] == 1)
        #expect(stats.counts[prefix + "allocs"] == 1 && stats.counts[prefix + "threadcreate"] == 1)
        #expect(stats.counts[prefix + "cmdline"] == 1)
        #expect(stats.cpuMax == 1)

        // Heap profiles in time order, one per snapshot.
        #expect(manifest.files(.heap, in: directory).map(\.snapshot) == [0, 1, 2])
        #expect(manifest.files(.cpu, in: directory).map(\.url) == [directory.appendingPathComponent("once/cpu.pb.gz")])

        // The manifest on disk is the one returned, and it validates.
        let loaded = try CaptureManifest.load(directory: directory)
        #expect(try loaded.encoded() == manifest.encoded())
    }

    @Test func aboveTheGoroutineCeilingDebug1IsTakenInsteadOfDebug2() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let directory = Support.scratchDirectory("ceiling")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = try Support.target(server.url("/v/grow/debug/pprof/"), goroutineCeiling: 30)
        let manifest = try await Support.capture(target, snapshots: 2, interval: .milliseconds(200), directory: directory).get()
        #expect(manifest.failures.isEmpty)
        for snapshot in manifest.snapshots {
            let count = try #require(snapshot.goroutineCount)
            let skipped = try #require(snapshot.entry(.goroutineStacks))
            #expect(skipped.status == .skipped)
            #expect(skipped.note == "\(count) goroutines, above the ceiling of 30: took debug=1 instead (debug=2 stops the world)")
            let grouped = String(decoding: try Support.read(snapshot.entry(.goroutineGroups), in: directory), as: UTF8.self)
            #expect(grouped.hasPrefix("goroutine profile: total "))
            #expect(grouped.contains("\(40 * (snapshot.index + 1)) @ "))  // the parked goroutines' group
        }
        let stats = try await Support.stats(server)
        #expect(stats.counts["/v/grow/debug/pprof/goroutine?debug=2"] == nil)
        #expect(stats.counts["/v/grow/debug/pprof/goroutine?debug=1"] == 2)
    }

    @Test func belowTheCeilingDebug2IsTaken() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let directory = Support.scratchDirectory("below")
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try await Support.capture(try Support.target(server.url(""), goroutineCeiling: 10_000),
                                                 directory: directory).get()
        #expect(manifest.snapshots[0].entry(.goroutineStacks)?.status == .fetched)
        #expect(manifest.snapshots[0].entry(.goroutineGroups) == nil)
    }

    @Test func prefixOptionAndURLPathBothNameThePprofPrefix() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let byOption = try Support.target(server.url(""), prefix: "/v/plain/debug/pprof")
        #expect(byOption.baseURL == server.url("/v/plain/debug/pprof/"))
        let byPath = try Support.target(server.url("/v/plain/debug/pprof"))
        #expect(byPath.baseURL == server.url("/v/plain/debug/pprof/"))
        #expect(try Support.target("http://example.com:6060").baseURL == "http://example.com:6060/debug/pprof/")
        #expect(try Support.target("http://example.com:6060/").baseURL == "http://example.com:6060/debug/pprof/")
        #expect(try Support.target("http://example.com/x/debug/pprof/", prefix: "/y/").baseURL == "http://example.com/y/")
        #expect(throws: CaptureError.self) { try Support.target("ftp://example.com") }
        #expect(throws: CaptureError.self) { try Support.target("http://example.com/debug/pprof/heap?gc=1") }

        let directory = Support.scratchDirectory("prefix")
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try await Support.capture(byOption, directory: directory).get()
        #expect(manifest.status == .complete && manifest.failures.isEmpty)
        #expect(manifest.target == server.url("/v/plain/debug/pprof/"))
        let stats = try await Support.stats(server)
        #expect(stats.counts["/v/plain/debug/pprof/heap?gc=1"] == 1)
        #expect(stats.counts["/debug/pprof/heap?gc=1"] == nil)
    }

    @Test func authHeaderIsSentAndItsAbsenceIsOneClearLine() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let directory = Support.scratchDirectory("auth")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = server.url("/v/auth/debug/pprof/")
        let refused = try await Support.capture(try Support.target(url), directory: directory)
        guard case .failure(let error) = refused else {
            Issue.record("capture without the token succeeded")
            return
        }
        #expect(error.kind == .unreachable(.httpStatus(401)))
        #expect(error.description == "\(url): server response: 401 Unauthorized (needs credentials, such as an Authorization header?)")
        #expect(!FileManager.default.fileExists(atPath: directory.path))  // nothing written for a failed start

        let token = CaptureTarget.Header(name: "Authorization", value: "Bearer s3cret")
        let manifest = try await Support.capture(try Support.target(url, headers: [token]), directory: directory).get()
        #expect(manifest.failures.isEmpty)
        #expect(manifest.snapshots[0].entry(.heap)?.status == .fetched)
        // The credentials stay out of the manifest.
        let text = String(decoding: try Data(contentsOf: directory.appendingPathComponent("manifest.json")), as: UTF8.self)
        #expect(!text.contains("s3cret"))
    }

    @Test func cancellingLeavesAValidManifestOfWhatWasFetched() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let directory = Support.scratchDirectory("cancel")
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = try CapturePlan(snapshots: 3, interval: .seconds(60), cpuSeconds: 30, directory: directory)
        let capturer = Capturer(target: try Support.target(server.url("")), plan: plan)
        let waiting = AsyncStream<Void>.makeStream()
        let task = Task {
            try await capturer.run { step in
                if case .waiting = step.event { waiting.continuation.yield() }
            }
        }
        for await _ in waiting.stream { break }
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let manifest = try await task.value
        #expect(ContinuousClock.now - cancelledAt < .seconds(5))
        #expect(manifest.status == .interrupted)
        #expect(manifest.snapshots.count == 1)
        #expect(manifest.onceEntry(.cpu) == nil)  // cut short: not recorded as fetched nor as a failure
        #expect(manifest.failures.isEmpty)
        let loaded = try CaptureManifest.load(directory: directory)
        #expect(loaded.status == .interrupted)
        #expect(loaded.snapshots[0].entries.filter { $0.status == .fetched }.count == 7)
    }

    @Test func httpsIsVerifiedAgainstTheSystemOrACAFileOrNotAtAll() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = "https://\(server.tlsAddress)"
        let directory = Support.scratchDirectory("tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        func target(verify: Bool = true, caFile: String? = nil) throws -> CaptureTarget {
            try CaptureTarget(url: url, verifyCertificates: verify, caFile: caFile, timeout: .seconds(10), retries: 0)
        }
        let untrusted = try await Support.capture(try target(), directory: directory)
        guard case .failure(let error) = untrusted else {
            Issue.record("a self-signed certificate was trusted")
            return
        }
        #expect(error.kind == .unreachable(.tlsFailed))
        #expect(error.description == "\(url)/debug/pprof/: TLS handshake failed: the server's certificate is not trusted (--insecure skips the check; --ca-file FILE trusts a private CA)")

        let insecure = try await Support.capture(try target(verify: false), directory: directory).get()
        #expect(insecure.failures.isEmpty && insecure.snapshots[0].entry(.heap)?.status == .fetched)

        let pem = try await ProfileFetcher.fetch(url: server.url("/tls-cert.pem"), timeout: .seconds(10))
        let caFile = directory.appendingPathExtension("pem")
        defer { try? FileManager.default.removeItem(at: caFile) }
        try Data(pem).write(to: caFile)
        try FileManager.default.removeItem(at: directory)
        let trusted = try await Support.capture(try target(caFile: caFile.path), directory: directory).get()
        #expect(trusted.failures.isEmpty && trusted.snapshots[0].entry(.heap)?.status == .fetched)

        #expect(throws: CaptureError(.invalidTarget, url: url, "CA file /nonexistent.pem cannot be read")) {
            try target(caFile: "/nonexistent.pem")
        }
    }

    @Test func serviceThatStopsMidCaptureIsRecordedNotFatal() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let directory = Support.scratchDirectory("stops")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A second between snapshots, and SIGKILL: the server must be gone before snapshot 2 starts,
        // even on a loaded runner (under AddressSanitizer it once was not, after 300 ms and SIGTERM).
        let plan = try CapturePlan(snapshots: 3, interval: .seconds(1), cpuSeconds: 0, directory: directory)
        let url = server.url("/debug/pprof/")
        let capturer = Capturer(target: try Support.target(server.url(""), retries: 1), plan: plan)
        let manifest = try await capturer.run { step in
            if case .waiting = step.event, step.snapshot == 1 { server.kill() }
        }
        #expect(manifest.status == .complete)
        #expect(manifest.snapshots.count == 3)
        #expect(manifest.snapshots[0].entries.allSatisfy { $0.status == .fetched })
        for snapshot in manifest.snapshots.dropFirst() {
            // Only the index page was tried: the rest of an unreachable snapshot is not attempted.
            #expect(snapshot.entries.map(\.kind) == [.index])
            #expect(snapshot.entries.first?.attempts == 2)
            #expect(snapshot.entries.first?.error?.hasPrefix("\(url): connection refused") == true)
            #expect(snapshot.goroutineCount == nil)
        }
        #expect(manifest.failures.map(\.kind) == [.index, .index, .allocs, .threadcreate])
        #expect(try CaptureManifest.load(directory: directory).failures == manifest.failures)
    }
}
