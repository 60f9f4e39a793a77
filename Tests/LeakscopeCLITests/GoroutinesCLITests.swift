import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopeCLI

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
        #expect(lines[header].contains("growth") && lines[header].contains("per min"))
        #expect(lines[0].hasPrefix("3 dumps"))

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
