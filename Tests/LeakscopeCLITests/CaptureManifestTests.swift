import Testing
import Foundation
import LeakscopeTestSupport
@testable import LeakscopeCLI
@testable import LeakscopeCapture
@testable import LeakscopeCollect

/// `CaptureManifest.load` on capture sets written by a real capture, then damaged; the index page
/// parser on real net/http/pprof pages; the duration and size arguments.
@Suite(.serialized) struct CaptureManifestTests {
    typealias Support = CaptureTestSupport

    /// A real one-snapshot capture set (no CPU profile) in a fresh directory.
    private func captureSet() async throws -> (URL, CaptureManifest) {
        let server = try await CollectServer()
        defer { server.stop() }
        let directory = Support.scratchDirectory("manifest")
        let manifest = try await Support.capture(try Support.target(server.url("")), directory: directory).get()
        return (directory, manifest)
    }

    private func loadError(_ directory: URL) -> CaptureManifestError? {
        do {
            _ = try CaptureManifest.load(directory: directory)
            return nil
        } catch {
            return error
        }
    }

    @Test func timesAreUTCWithMilliseconds() async throws {
        let (directory, _) = try await captureSet()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
        let object = try #require(json as? [String: Any])
        let started = try #require(object["started"] as? String)
        #expect(started.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(started)")
        #expect(object["format"] as? String == "leakscope-capture/1")
        #expect(object["status"] as? String == "complete")
    }

    @Test func missingFileIsNamed() async throws {
        let (directory, _) = try await captureSet()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("snap-00/heap.pb.gz"))
        let error = try #require(loadError(directory))
        #expect(error.path == directory.path)
        #expect(error.description == "\(directory.path): snap-00/heap.pb.gz is listed in manifest.json but missing")
    }

    @Test func unknownFormatIsRefusedClearly() async throws {
        let (directory, _) = try await captureSet()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("manifest.json")
        let text = try String(contentsOf: path, encoding: .utf8)
            .replacingOccurrences(of: "\"leakscope-capture/1\"", with: "\"leakscope-capture/9\"")
        try Data(text.utf8).write(to: path)
        let error = try #require(loadError(directory))
        #expect(error.description == "\(path.path): unknown capture format 'leakscope-capture/9' (this leakscope reads leakscope-capture/1)")
    }

    @Test func damagedOrAbsentManifests() async throws {
        let (directory, _) = try await captureSet()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("manifest.json")
        let original = try String(contentsOf: path, encoding: .utf8)

        try Data(original.replacingOccurrences(of: "\"snap-00/mutex.pb.gz\"", with: "\"../../etc/passwd\"").utf8).write(to: path)
        #expect(loadError(directory)?.description == "\(path.path): file ../../etc/passwd is outside the capture directory")

        try Data(original.replacingOccurrences(of: "\"target\"", with: "\"tarjet\"").utf8).write(to: path)
        #expect(loadError(directory)?.description == "\(path.path): invalid manifest: missing \"target\" at top level")

        try Data("<html>".utf8).write(to: path)
        #expect(loadError(directory)?.description == "\(path.path): not a leakscope capture manifest (not a JSON object)")

        try FileManager.default.removeItem(at: path)
        #expect(loadError(directory)?.description == "\(directory.path): no manifest.json here (not a directory written by leakscope capture?)")
    }

    @Test(arguments: [GoToolchain.Kind.current, .debian119])
    func indexPageOfRealNetHTTPPprof(toolchain: GoToolchain.Kind) async throws {
        let server = try await CollectServer(toolchain: toolchain)
        defer { server.stop() }
        _ = try await ProfileFetcher.fetch(url: server.url("/spawn?n=25"), timeout: .seconds(10))
        let page = try await ProfileFetcher.fetch(url: server.url("/debug/pprof/"), timeout: .seconds(10), rejectHTML: false)
        let index = try #require(PprofIndex.parse(page))
        let names = index.counts.map(\.name)
        let expected = ["allocs", "block", "goroutine", "heap", "mutex", "threadcreate"]
            + (toolchain == .current ? ["goroutineleak"] : [])
        #expect(Set(names) == Set(expected))
        #expect((index.goroutineCount ?? 0) >= 25)
        #expect(index.hasGoroutineLeakProfile == (toolchain == .current))
        // The count agrees with the goroutine profile's own header.
        let text = String(decoding: try await ProfileFetcher.fetch(url: server.url("/debug/pprof/goroutine?debug=1"),
                                                                  timeout: .seconds(10)), as: UTF8.self)
        let total = text.split(separator: "\n").first.flatMap { Int($0.split(separator: " ").last ?? "") }
        let count = try #require(index.goroutineCount)
        #expect(total.map { abs($0 - count) <= 3 } == true, "index \(count), profile header \(String(describing: total))")
        #expect(PprofIndex.parse(Array("<!DOCTYPE html><html><body>Sign in</body></html>".utf8)) == nil)
        #expect(PprofIndex.parse([]) == nil)
    }

    @Test func durations() {
        let cases: [(String, Duration?)] = [
            ("500ms", .milliseconds(500)), ("30s", .seconds(30)), ("2m", .seconds(120)), ("1h", .seconds(3600)),
            ("1m30s", .seconds(90)), ("1.5s", .milliseconds(1500)), ("0", .zero), ("250us", .microseconds(250)),
            ("30", nil), ("", nil), ("s", nil), ("1.2.3s", nil), ("5d", nil), ("-1s", nil), ("99999999999h", nil),
        ]
        for (text, expected) in cases {
            #expect(DurationArgument.parse(text) == expected, "\(text)")
        }
    }

    @Test func byteCounts() {
        #expect(ByteCountArgument(argument: "1048576")?.bytes == 1 << 20)
        #expect(ByteCountArgument(argument: "64M")?.bytes == 64 << 20)
        #expect(ByteCountArgument(argument: "2GiB")?.bytes == 2 << 30)
        #expect(ByteCountArgument(argument: "10K")?.bytes == 10 << 10)
        #expect(ByteCountArgument(argument: "0") == nil)
        #expect(ByteCountArgument(argument: "12X") == nil)
        #expect(ByteCountArgument(argument: "99999999999999999999G") == nil)
    }

    @Test func headersAreSplitAtTheFirstColon() {
        #expect(CaptureOptions.splitHeader("Authorization: Bearer a:b")! == ("Authorization", "Bearer a:b"))
        #expect(CaptureOptions.splitHeader("X-Token:abc")! == ("X-Token", "abc"))
        #expect(CaptureOptions.splitHeader("NoColon") == nil)
        #expect(CaptureOptions.splitHeader(": value") == nil)
    }
}
