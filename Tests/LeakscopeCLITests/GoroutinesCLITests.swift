import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeCLI
import LeakscopeCapture
import LeakscopeProfile

/// `leakscope goroutines` on the fixture program's real dumps: text, JSON schema and HTML.
@Suite struct GoroutinesCLITests {
    func output(_ arguments: [String]) throws -> Data {
        try GoroutinesSubcommand.parse(arguments).output()
    }

    /// Oracle for `byState` and `labelled`: the headers of a dump, read with a regular expression.
    func headerStates(_ url: URL) throws -> (states: [String: Int], labelled: Int) {
        let text = try String(contentsOf: url, encoding: .utf8)
        let header = try Regex(#"^goroutine \d+(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[([^\]]*)\]( \{.*\})?:$"#)
        var states: [String: Int] = [:]
        var labelled = 0
        for line in text.split(separator: "\n") where line.hasPrefix("goroutine ") {
            guard let match = try header.wholeMatch(in: String(line)) else { continue }
            var state = String(match.output[1].substring ?? "").components(separatedBy: ", ")[0]
            for mark in [" (leaked)", " (scan)"] where state.hasSuffix(mark) { state.removeLast(mark.count) }
            states[state, default: 0] += 1
            if match.output[2].substring != nil { labelled += 1 }
        }
        return (states, labelled)
    }

    struct Document: Decodable {
        struct Site: Decodable { var function: String; var file: String; var line: Int }
        struct Wait: Decodable { var min: Int; var median: Int; var max: Int }
        struct Suspect: Decodable { var score: Int; var reason: String; var remedy: String? }
        struct Growth: Decodable { var counts: [Int]; var delta: Int; var perMinute: Double?; var persisted: Int; var new: Int }
        struct Bucket: Decodable {
            var count: Int
            var state: String
            var waitMinutes: Wait
            var blockingSite: Site?
            var createdBy: Site?
            var labels: [[String: String]]
            var suspect: Suspect?
            var growth: Growth?
        }
        final class Node: Decodable {
            var site: String
            var count: Int
            var total: Int
            var children: [Node]
        }
        var goroutines: Int
        var byState: [String: Int]
        var labelled: Int
        var buckets: [Bucket]
        var creationTree: [Node]
        struct SiteTotal: Decodable { var function: String?; var count: Int; var buckets: Int }
        var blockingSites: [SiteTotal]
    }

    /// Goroutines in all creation-tree nodes whose site starts with `prefix`.
    func created(at prefix: String, in nodes: [Document.Node]) -> Int {
        nodes.reduce(0) { $0 + ($1.site.hasPrefix(prefix) ? $1.count : 0) + created(at: prefix, in: $1.children) }
    }

    @Test(arguments: GoroutineFixtures.Toolchain.allCases)
    func jsonMatchesTheSchemaAndTheDumps(_ toolchain: GoroutineFixtures.Toolchain) async throws {
        let run = try await GoroutineFixtures.run(.grow, toolchain)
        let data = try output(run.dumps.map(\.path) + ["--format", "json"])
        let doc = try JSONDecoder().decode(Document.self, from: data)
        let last = try #require(run.dumps.last)
        let oracle = try headerStates(last)
        #expect(doc.goroutines == oracle.states.values.reduce(0, +))
        #expect(doc.byState == oracle.states)
        #expect(doc.labelled == oracle.labelled)
        #expect(doc.buckets.reduce(0) { $0 + $1.count } == doc.goroutines)
        for bucket in doc.buckets {
            #expect(bucket.waitMinutes.min <= bucket.waitMinutes.median && bucket.waitMinutes.median <= bucket.waitMinutes.max)
            #expect(bucket.growth?.counts.count == run.dumps.count)
        }
        // Non-suspects carry an explicit null.
        let raw = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rawBuckets = try #require(raw["buckets"] as? [[String: Any]])
        #expect(rawBuckets.contains { $0["suspect"] is NSNull })
        #expect(rawBuckets.allSatisfy { $0.keys.contains("suspect") && $0.keys.contains("createdBy") })

        // The first bucket is the leak, at the line of its send in the Go source.
        let first = try #require(doc.buckets.first)
        let expected = try #require(run.manifest.groups.first { $0.function == "main.fetchBackend" })
        #expect(first.count == expected.count)
        #expect(first.growth?.counts == expected.counts)
        let site = try #require(first.blockingSite)
        #expect(site.function == "main.fetchBackend")
        #expect(site.file.hasSuffix("goroutines/grow.go"))
        let source = try String(contentsOf: TestPaths.goFixtures.appendingPathComponent("goroutines/grow.go"), encoding: .utf8)
        let sendLine = try #require(source.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("result <- \"data\"") })
        #expect(site.line == sendLine + 1)
        #expect(first.createdBy?.function.hasPrefix("main.handleWork") == true)
        let suspect = try #require(first.suspect)
        #expect(suspect.score >= 40 && suspect.score <= 100)
        #expect(suspect.remedy?.contains("buffer it") == true)
        if toolchain == .current { #expect(first.labels == [["handler": "/work"]]) }
        // The creation tree accounts for every goroutine, and files the leak under its go statement.
        #expect(doc.creationTree.reduce(0) { $0 + $1.total } == doc.goroutines)
        #expect(created(at: "main.handleWork", in: doc.creationTree) == expected.count)
    }

    @Test func filesAreOrderedByModificationTimeUnlessKeptInOrder() async throws {
        let run = try await GoroutineFixtures.run(.grow, .current)
        let reversed = run.dumps.reversed().map(\.path)
        let sorted = try JSONDecoder().decode(Document.self, from: try output(reversed + ["--format", "json"]))
        #expect(sorted.buckets.first?.blockingSite?.function == "main.fetchBackend")
        #expect(sorted.buckets.first?.suspect != nil)
        // Taken as given, newest first, the leak shrinks: no suspect there.
        let kept = try JSONDecoder().decode(Document.self, from: try output(reversed + ["--format", "json", "--keep-order"]))
        let backend = kept.buckets.filter { $0.blockingSite?.function == "main.fetchBackend" }
        #expect(!backend.isEmpty && backend.allSatisfy { $0.suspect == nil && ($0.growth?.delta ?? 0) < 0 })
    }

    @Test func textSummaryPutsSuspectsFirstWithGrowthColumns() async throws {
        let run = try await GoroutineFixtures.run(.grow, .current)
        let text = String(decoding: try output(run.dumps.map(\.path)), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        let firstSuspect = try #require(lines.firstIndex { $0.hasPrefix("#1 ") })
        #expect(lines[firstSuspect].contains("main.fetchBackend"))
        #expect(lines.contains { $0.hasPrefix("    fix: ") && $0.contains("ctx.Done()") })
        let header = try #require(lines.firstIndex { $0.contains("blocking site") && $0.contains("created by") })
        #expect(header > firstSuspect)
        #expect(lines[header].contains("growth"))
        #expect(lines[0].hasPrefix("3 dumps"))
        // debug=2 dumps carry no wall time and these have no capture manifest: no rate anywhere.
        #expect(!text.contains("/min") && !lines[header].contains("per min"), "\(text)")

        let single = String(decoding: try output([run.dumps[0].path]), as: UTF8.self)
        #expect(!single.contains("per min"))
    }

    @Test func healthyDumpsPrintNoSuspects() async throws {
        let run = try await GoroutineFixtures.run(.healthy, .go119)
        let text = String(decoding: try output(run.dumps.map(\.path)), as: UTF8.self)
        #expect(text.contains("No leak suspects."))
        #expect(!text.contains("#1 "))
    }

    @Test func htmlIsSelfContainedAndBounded() async throws {
        let run = try await GoroutineFixtures.run(.large, .current)
        let dump = try #require(run.dumps.first)
        let dumpSize = try #require(try FileManager.default.attributesOfItem(atPath: dump.path)[.size] as? Int)
        let htmlURL = TestPaths.scratch.appendingPathComponent("leakscope-goroutines-\(UUID()).html")
        defer { try? FileManager.default.removeItem(at: htmlURL) }
        let json = try JSONDecoder().decode(Document.self, from: try output([dump.path, "--format", "json", "--html", htmlURL.path]))
        let expected = try #require(run.manifest.groups.first { $0.function == "main.parkDeep" })
        #expect(json.buckets.filter { $0.blockingSite?.function == "main.parkDeep" }.reduce(0) { $0 + $1.count } == expected.count)
        #expect(json.labelled == run.manifest.labelled)
        // 16 call depths × 2 go statements end at one line: the roll-up counts them together.
        let deep = try #require(json.blockingSites.first)
        #expect(deep.function == "main.parkDeep" && deep.count == expected.count && deep.buckets == 32)
        #expect(json.blockingSites.reduce(0) { $0 + $1.count } == json.goroutines)
        let text = String(decoding: try output([dump.path]), as: UTF8.self)
        #expect(text.contains("Top blocking sites"))

        let html = try String(contentsOf: htmlURL, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for external in ["http://", "https://", "src=", "href=", "<link", "@import", "url("] {
            #expect(!html.contains(external), "\(external)")
        }
        // Every bucket travels once, as data; the page is a small fraction of the dump.
        #expect(html.utf8.count * 50 < dumpSize, "\(html.utf8.count) bytes for a \(dumpSize)-byte dump")
        let start = try #require(html.range(of: "<script id=\"data\" type=\"application/json\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let data = try #require(try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8))
            as? [String: Any])
        #expect((data["buckets"] as? [Any])?.count == json.buckets.count)
        #expect(data["goroutines"] as? Int == json.goroutines)
    }

    @Test func missingFileIsAClearError() throws {
        let path = "/nonexistent/leakscope/dump.txt"
        #expect {
            _ = try output([path])
        } throws: { error in
            "\(error)".contains(path)
        }
    }
}

/// Rates per minute come only from the times dumps were taken (a capture manifest, a proto
/// profile's own time), never from file modification times; count and proto profiles, which
/// record no state or wait, get no state or wait columns, and identical stacks are one bucket.
@Suite struct GoroutineTimesCLITests {
    func json(_ arguments: [String]) throws -> GoroutinesCLITests.Document {
        try JSONDecoder().decode(GoroutinesCLITests.Document.self,
                                 from: try GoroutinesSubcommand.parse(arguments + ["--format", "json"]).output())
    }

    /// The grow run's debug=2 dumps copied into a fresh folder: written milliseconds apart.
    func copies(_ run: GoroutineFixtures.Run) throws -> (folder: URL, names: [String]) {
        let folder = TestPaths.scratch.appendingPathComponent("goroutine-times-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var names: [String] = []
        for (i, dump) in run.dumps.enumerated() {
            let name = "dump-\(i).txt"
            try FileManager.default.copyItem(at: dump, to: folder.appendingPathComponent(name))
            names.append(name)
        }
        return (folder, names)
    }

    @Test func filesWrittenMillisecondsApartGetNoRate() async throws {
        let run = try await GoroutineFixtures.run(.grow, .current)
        let (folder, names) = try copies(run)
        let paths = names.map { folder.appendingPathComponent($0).path }
        let doc = try json(paths)
        let grown = doc.buckets.filter { ($0.growth?.delta ?? 0) > 0 }
        #expect(!grown.isEmpty)
        #expect(doc.buckets.allSatisfy { $0.growth?.perMinute == nil })
        let text = String(decoding: try GoroutinesSubcommand.parse(paths).output(), as: UTF8.self)
        #expect(!text.contains("/min") && !text.contains("per min"), "\(text)")
    }

    @Test func captureManifestTimesGiveTheRate() async throws {
        let run = try await GoroutineFixtures.run(.grow, .current)
        let (folder, names) = try copies(run)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let snapshots = names.enumerated().map { i, name in
            CaptureManifest.Snapshot(index: i, time: start.addingTimeInterval(Double(i) * 60), entries: [
                CaptureManifest.Entry(kind: .goroutineStacks, endpoint: "goroutine", query: "debug=2", status: .fetched,
                                      file: name, bytes: 1, started: start.addingTimeInterval(Double(i) * 60),
                                      durationSeconds: 0.1, attempts: 1),
            ])
        }
        let manifest = CaptureManifest(format: CaptureManifest.currentFormat, target: "http://127.0.0.1:1/debug/pprof/",
                                       status: .complete, started: start,
                                       plan: .init(snapshots: names.count, intervalSeconds: 60, cpuSeconds: 0,
                                                   goroutineCeiling: 100_000, maxBytes: 1 << 30),
                                       snapshots: snapshots, once: [], failures: [])
        try manifest.encoded().write(to: folder.appendingPathComponent(CaptureManifest.fileName))
        // Given newest first: the manifest's times put them back in order.
        let doc = try json(names.reversed().map { folder.appendingPathComponent($0).path })
        let minutes = Double(names.count - 1)
        let grown = doc.buckets.filter { ($0.growth?.delta ?? 0) > 0 }
        #expect(!grown.isEmpty)
        for bucket in doc.buckets {
            let growth = try #require(bucket.growth)
            #expect(growth.perMinute == Double(growth.delta) / minutes)
        }
    }

    @Test func protoProfilesUseTheirOwnTime() async throws {
        let run = try await GoroutineFixtures.run(.grow, .current)
        let profiles = run.protoProfiles
        let times = try profiles.map { try Profile.parse([UInt8](try Data(contentsOf: $0))).timeNanos }
        #expect(times.allSatisfy { $0 > 0 })
        let minutes = Double(times.last! - times.first!) / 60e9
        #expect(minutes > 0)
        // Copied: the copies' modification times are milliseconds apart and must not matter.
        let folder = TestPaths.scratch.appendingPathComponent("goroutine-proto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        for (i, profile) in profiles.enumerated().reversed() {
            let copy = folder.appendingPathComponent("p\(i).pb.gz")
            try FileManager.default.copyItem(at: profile, to: copy)
            paths.append(copy.path)
        }
        let doc = try json(paths)
        #expect(doc.buckets.contains { ($0.growth?.delta ?? 0) > 0 })
        for bucket in doc.buckets {
            let growth = try #require(bucket.growth)
            let rate = try #require(growth.perMinute)
            #expect(abs(rate - Double(growth.delta) / minutes) < 1e-6 * max(1, abs(rate)))
        }
    }

    @Test func protoProfileHasNoStateOrWaitAndGroupsIdenticalStacks() async throws {
        let run = try await GoroutineFixtures.run(.large, .current)
        let proto = try #require(run.protoProfiles.first)
        let profile = try Profile.parse([UInt8](try Data(contentsOf: proto)))
        let text = String(decoding: try GoroutinesSubcommand.parse([proto.path]).output(), as: UTF8.self)
        #expect(!text.contains("(no state)") && !text.contains("0/0/0") && !text.contains("by state"), "\(text)")
        #expect(!text.contains("wait min/med/max"))
        // One bucket per distinct stack of frames (labels do not split buckets).
        let stacks = Set(profile.samples.map { sample in
            sample.locations.flatMap { profile.locations[$0].lines.map { "\($0.function ?? -1):\($0.line)" } }
        })
        let doc = try json([proto.path])
        #expect(doc.goroutines > 20_000 && doc.buckets.count == stacks.count)
        let htmlURL = TestPaths.scratch.appendingPathComponent("goroutines-proto-\(UUID()).html")
        _ = try GoroutinesSubcommand.parse([proto.path, "--html", htmlURL.path]).output()
        let html = try String(contentsOf: htmlURL, encoding: .utf8)
        #expect(html.contains("\"waits\":false") && html.contains("\"byState\":[]"))
    }
}
