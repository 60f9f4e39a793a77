import Foundation
import LeakscopeTestSupport
import Testing
@testable import LeakscopePprof
import LeakscopeProfile

/// File names in report nodes go through Go's `filepath.Clean` and `Base`; the
/// expected values come from running Go itself.
@Suite struct GraphPathTests {
    static let inputs = ["", ".", "/", "//", "a", "a/", "a//b", "/a/./b/../c", "../../x", "a/../..", "/../a", "./a/b/",
                         "/proc/self/cwd/./src/x.go", "a/b/c/../../d", "/usr//lib/./go/src/runtime/proc.go", "x/./.",
                         "héllo/wörld/../ß.go", "...", "a/.../b", "/a/b/"]

    @Test func cleanAndBaseMatchGo() async throws {
        let dir = TestPaths.scratch.appendingPathComponent("leakscope-paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let quoted = Self.inputs.map { "\"" + $0 + "\"" }.joined(separator: ", ")
        let program = """
        package main

        import (
        \t"fmt"
        \t"path/filepath"
        )

        func main() {
        \tfor _, p := range []string{\(quoted)} {
        \t\tfmt.Printf("%s\\x00%s\\n", filepath.Clean(p), filepath.Base(p))
        \t}
        }
        """
        try program.write(to: dir.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        let run = try await PprofOracle.go(["run", "main.go"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = String(decoding: run.stdout, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == Self.inputs.count + 1)
        for (i, input) in Self.inputs.enumerated() where i < lines.count {
            let parts = lines[i].split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
            #expect(GoPath.clean(input) == parts[0], "Clean(\(input))")
            #expect(GoPath.base(input) == parts[1], "Base(\(input))")
        }
    }

    /// `-prune_from` matches simplified names (leading "." and argument lists
    /// dropped, "(anonymous namespace)" and "operator()" kept): checked with pprof.
    @Test(arguments: ["^foo$", "^\\(anonymous namespace\\)::f$", "operator\\(\\)$", "^bar$", "\\(int\\)"])
    func pruneFromUsesSimplifiedNames(pattern: String) async throws {
        let names = [".foo(int)", "(anonymous namespace)::f(x)", "A::operator()(int)", "bar", "main"]
        var p = LeakscopeProfile.Profile()
        p.sampleTypes = [LeakscopeProfile.ValueType(type: "samples", unit: "count")]
        p.mappings = [LeakscopeProfile.Mapping(id: 1)]
        for (i, name) in names.enumerated() {
            p.functions.append(LeakscopeProfile.Function(id: UInt64(i + 1), name: name))
            p.locations.append(LeakscopeProfile.Location(id: UInt64(i + 1), mapping: 0, address: UInt64(0x100 + i),
                                                         lines: [LeakscopeProfile.Line(function: i)]))
        }
        p.samples = [LeakscopeProfile.Sample(locations: [0, 1, 2, 3, 4], values: [5]),
                     LeakscopeProfile.Sample(locations: [2, 3, 4], values: [7]),
                     LeakscopeProfile.Sample(locations: [3, 4], values: [11])]
        let file = try MeasurementFormatTests.write(p)
        try await PprofOracle.expectIdentical(["-top", "-prune_from=\(pattern)"], file)
        try await PprofOracle.expectIdentical(["-traces", "-prune_from=\(pattern)"], file)
    }
}
