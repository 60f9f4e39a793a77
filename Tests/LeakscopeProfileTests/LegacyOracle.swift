import Foundation
import Testing
import LeakscopeTestSupport
@testable import LeakscopeProfile

/// `go tool pprof -raw` on a legacy input without a binary prints pprof's parse of it
/// (no symbols, so nothing for drop_frames to remove): our `pprofString` of the same
/// bytes must be identical, and pprof must reject what we reject.
///
/// Two deliberate differences are allowed: a CPU profile that ends inside a record is an
/// error for us (pprof reads the missing words as zeros), and a count row `N @` without
/// addresses is an empty stack for us (Go 1.19 writes them; pprof rejects the file).
enum LegacyOracle {
    static func expectSameAsPprof(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let dir = TestPaths.scratch.appendingPathComponent("leakscope-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("input")
        try Data(bytes).write(to: file)
        let result = try await GoPprof.run(["-raw", file.path])
        let ours = Result { () throws(ProfileError) -> Profile in try LegacyProfileParser.parse(bytes) }
        switch ours {
        case .success(var profile):
            if !result.succeeded && hasStacklessCountRow(bytes) { return }
            #expect(result.succeeded, "we parse what pprof rejects: \(result.stderrText)", sourceLocation: sourceLocation)
            guard result.succeeded else { return }
            // pprof's driver (not its parser) gives a profile without mappings a fake one.
            if profile.mappings.isEmpty {
                profile.mappings = [Mapping(id: 1)]
                for i in profile.locations.indices { profile.locations[i].mapping = 0 }
            }
            #expect(profile.pprofString == result.stdoutText, sourceLocation: sourceLocation)
        case .failure(let error):
            if error.kind == .truncated && error.message.hasPrefix("CPU profile: data ends inside a record") { return }
            #expect(!result.succeeded, "pprof parses what we reject (\(error))", sourceLocation: sourceLocation)
        }
    }

    /// A line that is only `<digits> @`.
    static func hasStacklessCountRow(_ bytes: [UInt8]) -> Bool {
        bytes.split(separator: 10).contains { line in
            guard line.count >= 3, line.suffix(2).elementsEqual(" @".utf8) else { return false }
            return line.dropLast(2).allSatisfy { $0 >= 48 && $0 <= 57 }
        }
    }
}
