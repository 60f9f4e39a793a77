import Foundation

/// The built `leakscope` executable, run as a separate process exactly as a user would.
///
/// `swift build --build-tests` puts it beside the test bundle (`.build/<triple>/debug/leakscope`).
/// Set `LEAKSCOPE_BIN` to test another build.
public enum LeakscopeBinary {
    /// Runs `leakscope <arguments>` with our environment.
    /// `slot` says how the run counts against `ChildSlots.shared` (see `ProcessRunner.run`).
    public static func run(_ arguments: [String], stdin: URL? = nil, slot: ChildSlots.Use = .one) async throws -> ProcessResult {
        try await ProcessRunner.run(try path(), arguments, stdin: stdin, slot: slot)
    }

    /// Absolute path of the executable, or an error telling how to build it.
    public static func path() throws -> String {
        if let path = located { return path }
        throw LeakscopeBinaryError(searched: candidates)
    }

    private static let located: String? = candidates.first { FileManager.default.isExecutableFile(atPath: $0) }

    private static let candidates: [String] = {
        var list: [String] = []
        if let override = ProcessInfo.processInfo.environment["LEAKSCOPE_BIN"] { list.append(override) }
        // The running test bundle: on Linux an executable `…/debug/leakscopePackageTests.xctest`.
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            list.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("leakscope").path)
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            list.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent()
                .appendingPathComponent("leakscope").path)
        }
        list.append(TestPaths.packageRoot.appendingPathComponent(".build/debug/leakscope").path)
        return list
    }()
}

public struct LeakscopeBinaryError: Error, CustomStringConvertible {
    public let searched: [String]
    public var description: String {
        "leakscope executable not found (run `swift build --build-tests` first); looked at: "
            + searched.joined(separator: ", ")
    }
}
