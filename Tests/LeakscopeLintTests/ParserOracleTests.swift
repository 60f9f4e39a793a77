import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeTestSupport

/// Our parser accepts and rejects exactly the files go/parser (gofmt's parser) does, over a
/// sample of `$GOROOT/src` that includes every directory of deliberately broken test inputs.
/// GoBench kernels under runtime/testdata are skipped entirely.
@Suite struct ParserOracleTests {
    static let brokenInputDirectories = [
        "go/parser/testdata", "cmd/compile/internal/syntax/testdata", "internal/types/testdata",
        "cmd/compile/internal/types2/testdata",
    ]

    @Test func acceptsAndRejectsLikeGoParser() async throws {
        let toolchain = try await GoToolchain.locate(.current)
        let src = URL(fileURLWithPath: toolchain.goExecutable).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("src").path
        var all: [String] = []
        let walker = FileManager.default.enumerator(atPath: src)
        while let relative = walker?.nextObject() as? String {
            guard relative.hasSuffix(".go"), !relative.hasPrefix("runtime/testdata") else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: src + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            all.append(relative)
        }
        all.sort()
        // Every 10th file, plus every file of the broken-input directories.
        let sample = all.enumerated().filter { index, path in
            index % 10 == 0 || Self.brokenInputDirectories.contains { path.hasPrefix($0) }
        }.map { src + "/" + $0.element }
        #expect(sample.count > 1_000)

        let oracle = try await GoFixtures.buildProgram(in: TestPaths.goFixtures.deletingLastPathComponent()
            .appendingPathComponent("lint/goparse"), name: "goparse", toolchain: .current)
        let list = TestPaths.scratch.appendingPathComponent("goparse-input.txt")
        try (sample.joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run(oracle.path, [], stdin: list)
        #expect(result.succeeded, "\(result.summary)")
        var expected: [String: Bool] = [:]
        for line in result.stdoutText.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            expected[String(parts[1])] = parts[0] == "ok"
        }
        #expect(expected.count == sample.count)
        var rejected = 0
        var mismatches: [String] = []
        for path in sample {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let file = SourceFile(path: path, bytes: bytes)
            if file.error != nil { rejected += 1 }
            if (file.error == nil) != expected[path] {
                mismatches.append("\(path): go/parser \(expected[path] == true ? "accepts" : "rejects"), ours \(file.errorDescription ?? "accepts")")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20).joined(separator: "\n"))")
        // The broken inputs really are exercised: go/parser rejects dozens of them.
        #expect(rejected >= 30)
    }
}
