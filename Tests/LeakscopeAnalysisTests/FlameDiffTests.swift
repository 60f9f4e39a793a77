import Testing
import Foundation
import LeakscopeTestSupport
@testable import LeakscopeFlame
@testable import LeakscopePprof
@testable import LeakscopeProfile

/// Differential and large flame graphs from the `flame` Go fixture's real heap profiles.
@Suite struct FlameDiffTests {
    static func load(_ url: URL) throws -> Profile {
        try Profile.parse([UInt8](try Data(contentsOf: url)))
    }

    static func inuseSpace(_ profile: Profile) throws -> Int {
        try #require(profile.sampleTypes.firstIndex { $0.type == "inuse_space" })
    }

    /// pprof's `-top -cum` value of one function, in bytes.
    static func pprofCum(_ function: String, _ url: URL) async throws -> Int64 {
        let result = try await GoPprof.run(["-top", "-cum", "-symbolize=none", "-sample_index=inuse_space", "-unit=B",
                                      "-nodefraction=0", "-focus=^" + NSRegularExpression.escapedPattern(for: function) + "$", url.path])
        try #require(result.succeeded, "\(result.summary)")
        let row = try #require(result.stdoutText.split(separator: "\n").first { $0.hasSuffix(" " + function) })
        let cum = row.split(separator: " ", omittingEmptySubsequences: true)[3]
        return try #require(Int64(cum.dropLast()))  // "102400B"
    }

    @Test func grownAndShrunkFunctionsCarryTheirChange() async throws {
        let dir = try await GoFixtures.output("flame", toolchain: .current)
        let beforeURL = dir.appendingPathComponent("before.pb.gz"), afterURL = dir.appendingPathComponent("after.pb.gz")
        let before = try Self.load(beforeURL), after = try Self.load(afterURL)
        let page = try EmbeddedFlame(html: FlameGraph.html(after, valueIndex: try Self.inuseSpace(after), base: before,
                                                           options: PprofOptions(), title: "diff"))
        #expect(page.meta["diff"] as? Bool == true)
        let (value, base) = page.totals
        // Per function: (after, before) summed over its outermost nodes.
        func change(_ function: String) throws -> (after: Int64, before: Int64) {
            let f = try #require(page.names.firstIndex(of: function))
            var result: (Int64, Int64) = (0, 0)
            for node in page.frame.indices where page.frame[node] == f {
                var ancestor = page.parent[node], nested = false
                while ancestor > 0 { if page.frame[ancestor] == f { nested = true }; ancestor = page.parent[ancestor] }
                if !nested { result.0 += value[node]; result.1 += base[node] }
            }
            return result
        }
        let grows = try change("main.grows"), shrinks = try change("main.shrinks"), steady = try change("main.steady")
        // Widths and colours come from these numbers; pprof gives the same per-snapshot values.
        #expect(try await grows.after == (Self.pprofCum("main.grows", afterURL)))
        #expect(try await grows.before == (Self.pprofCum("main.grows", beforeURL)))
        #expect(try await shrinks.after == (Self.pprofCum("main.shrinks", afterURL)))
        #expect(try await shrinks.before == (Self.pprofCum("main.shrinks", beforeURL)))
        #expect(grows.after > grows.before, "grows() must be drawn red")
        #expect(shrinks.after < shrinks.before, "shrinks() must be drawn blue")
        #expect(steady.after == steady.before, "steady() must be drawn neutral")
        // The page's totals are the two profiles' totals.
        let index = try Self.inuseSpace(after)
        #expect(Int64(page.meta["total"] as? Int ?? -1) == after.samples.reduce(0) { $0 + $1.values[index] })
        #expect(Int64(page.meta["baseTotal"] as? Int ?? -1) == before.samples.reduce(0) { $0 + $1.values[index] })
        // The header's total reads as pprof prints it ("… of 783.08kB total").
        let top = try await GoPprof.run(["-top", "-symbolize=none", "-sample_index=inuse_space", afterURL.path])
        try #require(top.succeeded, "\(top.summary)")
        let header = try #require(top.stdoutText.split(separator: "\n").first { $0.hasPrefix("Showing nodes accounting for") })
        #expect(header.hasSuffix(" of \(page.meta["totalLabel"] as? String ?? "?") total"), "\(header)")

        // With -unit=MB the header and every value use MB, like pprof.
        var inMB = PprofOptions()
        inMB.unit = "MB"
        let pageMB = try EmbeddedFlame(html: FlameGraph.html(after, valueIndex: index, options: inMB, title: "mb"))
        let topMB = try await GoPprof.run(["-top", "-symbolize=none", "-sample_index=inuse_space", "-unit=MB", afterURL.path])
        let headerMB = try #require(topMB.stdoutText.split(separator: "\n").first { $0.hasPrefix("Showing nodes accounting for") })
        let labelMB = try #require(pageMB.meta["totalLabel"] as? String)
        #expect(headerMB.hasSuffix(" of \(labelMB) total"), "\(headerMB)")
        let fixed = try #require(pageMB.meta["fixedUnit"] as? [String: Any])
        let factor = try #require(fixed["factor"] as? Double)
        let total = Double(try #require(pageMB.meta["total"] as? Int))
        #expect(String(format: "%.2f", total * factor) + (fixed["name"] as? String ?? "?") == labelMB)
    }

    @Test func threeHundredThousandStacksStayUnderTwoMegabytes() async throws {
        let dir = try await GoFixtures.output("flame", toolchain: .current, arguments: ["-stacks", "300000"])
        let profile = try Self.load(dir.appendingPathComponent("stacks.pb.gz"))
        let index = try Self.inuseSpace(profile)
        let html = FlameGraph.html(profile, valueIndex: index, options: PprofOptions(), title: "stacks")
        #expect(html.count < 2 * 1024 * 1024, "page is \(html.count) bytes")
        let page = try EmbeddedFlame(html: html)
        // Every distinct allocation stack under main.next is in the page, with its value.
        let collapsed = try parseCollapsed(FlameGraph.collapsed(profile, valueIndex: index, options: PprofOptions()))
        let stacks = page.stacks
        #expect(stacks.mapValues(\.0) == collapsed)
        let allocationStacks = stacks.keys.filter { $0.contains("main.f0;") && $0.hasSuffix(";main.next") }
        #expect(allocationStacks.count == 300_000)
    }
}
