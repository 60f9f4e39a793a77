import Testing
import Foundation
@testable import LeakscopeFlame
@testable import LeakscopePprof
@testable import LeakscopeProfile

@Suite struct FlameGraphTests {
    /// main → work → (compute inlined into work) and main → idle, plus an empty stack.
    static func sampleProfile() -> Profile {
        var b = ProfileBuilder()
        b.add(["runtime.main", "main.main", "main.work", "main.compute+main.work"], [3, 30])
        b.add(["runtime.main", "main.main", "main.work"], [2, 20])
        b.add(["runtime.main", "main.main", "main.idle"], [1, 10])
        b.add(["runtime.main", "main.main", "main.idle"], [4, 40])   // same stack: merged
        b.add(["runtime.main", "main.main", "main.zero"], [0, 0])    // zero: omitted
        b.profile.samples.append(Sample(locations: [], values: [7, 70]))  // no stack: omitted
        return b.profile
    }

    @Test func collapsedExpandsInlinedFramesRootFirst() throws {
        let text = FlameGraph.collapsed(Self.sampleProfile(), valueIndex: 1, options: PprofOptions())
        let stacks = try parseCollapsed(text)
        #expect(stacks == [
            "runtime.main;main.main;main.work;main.work;main.compute": 30,
            "runtime.main;main.main;main.work": 20,
            "runtime.main;main.main;main.idle": 50,
        ])
        // Siblings in name order: idle before work.
        #expect(text.hasPrefix("runtime.main;main.main;main.idle 50\n"))
    }

    @Test func collapsedNoInlinesFoldsIntoCaller() throws {
        var options = PprofOptions()
        options.noInlines = true
        let stacks = try parseCollapsed(FlameGraph.collapsed(Self.sampleProfile(), valueIndex: 0, options: options))
        #expect(stacks["runtime.main;main.main;main.work;main.work"] == 3)
        #expect(stacks["runtime.main;main.main;main.work"] == 2)
        #expect(stacks.keys.allSatisfy { !$0.contains("compute") })
    }

    @Test func collapsedNamesFollowGranularity() throws {
        var options = PprofOptions()
        options.granularity = .lines
        let lines = try parseCollapsed(FlameGraph.collapsed(Self.sampleProfile(), valueIndex: 1, options: options))
        #expect(lines.keys.contains("runtime.main /src/runtime_main.go:20;main.main /src/main_main.go:20;main.idle /src/main_idle.go:20"))
        options.granularity = .files
        let files = try parseCollapsed(FlameGraph.collapsed(Self.sampleProfile(), valueIndex: 1, options: options))
        #expect(files["/src/runtime_main.go;/src/main_main.go;/src/main_idle.go"] == 50)
        options.granularity = .filefunctions
        let ff = try parseCollapsed(FlameGraph.collapsed(Self.sampleProfile(), valueIndex: 1, options: options))
        #expect(ff["runtime.main /src/runtime_main.go;main.main /src/main_main.go;main.work /src/main_work.go"] == 20)
    }

    @Test func speedscopeParsesAndWeightsSumToTotal() throws {
        let bytes = FlameGraph.speedscope(Self.sampleProfile(), valueIndex: 1, options: PprofOptions(), name: "cpu <test>")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(json["$schema"] as? String == "https://www.speedscope.app/file-format-schema.json")
        let frames = try #require((json["shared"] as? [String: Any])?["frames"] as? [[String: Any]])
        let profile = try #require((json["profiles"] as? [[String: Any]])?.first)
        #expect(profile["type"] as? String == "sampled")
        #expect(profile["unit"] as? String == "nanoseconds")
        #expect(profile["name"] as? String == "cpu <test>")
        let samples = try #require(profile["samples"] as? [[Int]])
        let weights = try #require(profile["weights"] as? [Int64])
        #expect(samples.count == weights.count)
        #expect(weights.reduce(0, +) == 100)
        #expect(profile["endValue"] as? Int64 == 100)
        let names = frames.map { $0["name"] as? String ?? "?" }
        let rebuilt = Dictionary(zip(samples.map { $0.map { names[$0] }.joined(separator: ";") }, weights), uniquingKeysWith: +)
        let collapsed = try parseCollapsed(FlameGraph.collapsed(Self.sampleProfile(), valueIndex: 1, options: PprofOptions()))
        #expect(rebuilt == collapsed)
        #expect(frames.allSatisfy { ($0["file"] as? String)?.hasPrefix("/src/") == true })
    }

    @Test func speedscopeUnitMapping() {
        #expect(SpeedscopeWriter.unit(for: "bytes") == "bytes")
        #expect(SpeedscopeWriter.unit(for: "nanoseconds") == "nanoseconds")
        #expect(SpeedscopeWriter.unit(for: "count") == "none")
    }

    @Test func htmlEmbedsTheWholeTree() throws {
        let profile = Self.sampleProfile()
        let html = FlameGraph.html(profile, valueIndex: 1, options: PprofOptions(), title: "t <&> \"x\"")
        let page = String(decoding: html, as: UTF8.self)
        #expect(page.contains("<title>t &lt;&amp;&gt; &quot;x&quot;</title>"))
        #expect(!page.contains("http://") && !page.contains("https://"), "the page must not fetch anything")
        let embedded = try EmbeddedFlame(html: html)
        // The page's total is the profile's, samples without a stack included (they sit on the root).
        #expect(embedded.meta["total"] as? Int == 170)
        #expect(embedded.meta["diff"] as? Bool == false)
        let collapsed = try parseCollapsed(FlameGraph.collapsed(profile, valueIndex: 1, options: PprofOptions()))
        #expect(embedded.stacks.mapValues(\.0) == collapsed)
        #expect(embedded.totals.value[0] == 170)
        #expect(embedded.selfValue[0] == 70)
    }

    @Test func differentialHTMLCarriesBeforeAndAfter() throws {
        var before = ProfileBuilder()
        before.add(["main.main", "main.grows"], [0, 10])
        before.add(["main.main", "main.shrinks"], [0, 80])
        before.add(["main.main", "main.gone"], [0, 5])
        var after = ProfileBuilder()
        after.add(["main.main", "main.grows"], [0, 60])
        after.add(["main.main", "main.shrinks"], [0, 20])
        after.add(["main.main", "main.new"], [0, 7])
        let html = FlameGraph.html(after.profile, valueIndex: 1, base: before.profile, options: PprofOptions(), title: "diff")
        let embedded = try EmbeddedFlame(html: html)
        #expect(embedded.meta["diff"] as? Bool == true)
        #expect(embedded.meta["total"] as? Int == 87)
        #expect(embedded.meta["baseTotal"] as? Int == 95)
        let stacks = embedded.stacks
        #expect(stacks["main.main;main.grows"]! == (60, 10))
        #expect(stacks["main.main;main.shrinks"]! == (20, 80))
        #expect(stacks["main.main;main.gone"]! == (0, 5))
        #expect(stacks["main.main;main.new"]! == (7, 0))
    }

    @Test func diffBaseProfileIsSplitIntoNewAndBase() throws {
        var merged = ProfileBuilder()
        merged.add(["main.main", "main.grows"], [0, 60])
        merged.add(["main.main", "main.grows"], [0, -10])
        merged.add(["main.main", "main.shrinks"], [0, -80])
        let embedded = try EmbeddedFlame(html: FlameGraph.html(merged.profile, valueIndex: 1, options: PprofOptions(), title: "d"))
        #expect(embedded.meta["diff"] as? Bool == true)
        #expect(embedded.stacks["main.main;main.grows"]! == (60, 10))
        #expect(embedded.stacks["main.main;main.shrinks"]! == (0, 80))
    }

    @Test func deepStacksDoNotOverflow() throws {
        var b = ProfileBuilder()
        b.add((0..<20_000).map { "f\($0 % 7)" }, [1, 1])
        let text = FlameGraph.collapsed(b.profile, valueIndex: 1, options: PprofOptions())
        #expect(text.split(separator: ";").count == 20_000)
        let embedded = try EmbeddedFlame(html: FlameGraph.html(b.profile, valueIndex: 1, options: PprofOptions(), title: "deep"))
        #expect(embedded.frame.count == 20_001)
    }

    @Test func hostileIndicesAreIgnoredNotTrapped() {
        var p = Profile()
        p.sampleTypes = [ValueType(type: "x", unit: "count")]
        p.samples = [Sample(locations: [5, -1], values: [Int64.max]), Sample(locations: [], values: [Int64.min]),
                     Sample(locations: [0], values: [1])]
        p.locations = [Location(id: 1, lines: [Line(function: 99)])]
        #expect(FlameGraph.collapsed(p, valueIndex: 3, options: PprofOptions()) == "")
        _ = FlameGraph.html(p, valueIndex: 0, options: PprofOptions(), title: "x")
        _ = FlameGraph.speedscope(p, valueIndex: 0, options: PprofOptions(), name: "x")
        #expect(FlameGraph.collapsed(p, valueIndex: 0, options: PprofOptions()).hasPrefix("<unknown>"))
    }
}
