import Foundation
import Testing
import LeakscopeTestSupport

/// The graph view: the page carries `go tool pprof -dot`'s nodes and numbers, and in Chromium
/// (`Tests/Fixtures/web/graph_browser.py`) it draws them without Graphviz, a click focuses a node,
/// and the focused graph matches `go tool pprof -dot -focus` again; `calltree=1` draws
/// `go tool pprof -call_tree -dot`'s tree, where one function is several nodes.
@Suite(.serialized) struct GraphViewTests {
    /// The `label="…"` of each `N<k> [` node line of a dot source, in order, and the number of
    /// node-to-node edges (nodelet edges, `N1 -> N1_0`, excluded).
    static func dotNodes(_ dot: String) -> (labels: [String], names: [String], edges: Int) {
        var labels: [String] = [], names: [String] = [], edges = 0
        for line in dot.split(separator: "\n") {
            if line.firstMatch(of: /^N\d+ -> N\d+ \[/) != nil { edges += 1; continue }
            guard let m = line.firstMatch(of: /^N\d+ \[label="((?:[^"\\]|\\.)*)" id="node\d+".* tooltip="((?:[^"\\]|\\.)*) \([^()]*\)" color/)
            else { continue }
            labels.append(String(m.output.1))
            names.append(String(m.output.2))
        }
        return (labels, names, edges)
    }

    /// The regexp the page puts in `f=` for a name (JavaScript's usual escape of regexp syntax).
    static func anchored(_ name: String) -> String {
        var out = "^"
        for c in name {
            if ".*+?^${}()|[]\\".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out + "$"
    }

    @Test func graphViewMatchesPprofDotInChromium() async throws {
        let allocs = try await GoFixtures.output("profiles", toolchain: .current).appendingPathComponent("allocs.pb.gz").path
        let before = try await GoPprof.run(["-symbolize=none", "-dot", allocs])
        try #require(before.succeeded, "\(before.summary)")
        let parsed = Self.dotNodes(before.stdoutText)
        try #require(parsed.labels.count > 3, "pprof's graph has too few nodes to test")
        let focus = Self.anchored(parsed.names[0])
        let after = try await GoPprof.run(["-symbolize=none", "-dot", "-focus", focus, allocs])
        try #require(after.succeeded, "\(after.summary)")
        let tree = try await GoPprof.run(["-symbolize=none", "-call_tree", "-dot", allocs])
        try #require(tree.succeeded, "\(tree.summary)")
        let treeNodes = Self.dotNodes(tree.stdoutText)
        try #require(Set(treeNodes.names).count < treeNodes.names.count, "pprof's call tree repeats no function")
        let expected: [String: Any] = ["before": parsed.labels, "edges": parsed.edges, "focus": focus,
                                       "after": Self.dotNodes(after.stdoutText).labels,
                                       "tree": treeNodes.labels, "treeEdges": treeNodes.edges]
        let expectedFile = TestPaths.scratch.appendingPathComponent("graph-expected-\(UUID().uuidString).json")
        try FileManager.default.createDirectory(at: TestPaths.scratch, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: expected).write(to: expectedFile)

        let server = try await RunningServer.start(["pprof", "-http=127.0.0.1:0", "-no_browser", allocs])
        defer { Task { await server.stop() } }
        // The raw page carries the same numbers before any script runs.
        let page = try await HTTP.get(server.base + "/ui/graph")
        #expect(page.status == 200)
        #expect(page.text.contains("<svg id=\"graph\""))
        let legendLine = before.stdoutText.split(separator: "\n").first { $0.hasPrefix("subgraph cluster_L") }
        let showing = try #require(legendLine?.firstMatch(of: /Showing nodes accounting for [^\\]*/)).output
        #expect(page.text.contains(String(showing)), "legend line \(showing)")
        let treeLegend = tree.stdoutText.split(separator: "\n").first { $0.hasPrefix("subgraph cluster_L") }
        let treeShowing = try #require(treeLegend?.firstMatch(of: /Showing nodes accounting for [^\\]*/)).output
        let treePage = try await HTTP.get(server.base + "/ui/graph?calltree=1")
        #expect(treePage.text.contains(String(treeShowing)), "call tree legend line \(treeShowing)")
        let bad = try await HTTP.get(server.base + "/ui/graph?n=abc")
        #expect(bad.status == 400)

        let result = try await BrowserScript.run("graph_browser.py", against: server, [expectedFile.path])
        let shots = BrowserScript.shots
        await server.stop()
        #expect(result.succeeded, "\(result.stdoutText)\n\(result.stderrText.suffix(3000))")
        #expect(result.stdoutText.contains("all checks passed"))
        #expect(FileManager.default.fileExists(atPath: shots + "/graph.png"))
    }
}
