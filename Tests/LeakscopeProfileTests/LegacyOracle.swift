import Foundation
import Testing
import LeakscopeProfile
import LeakscopeTestSupport

/// `go tool pprof -raw` on a legacy input without a binary prints pprof's parse of it
/// unchanged (no symbols, so nothing for drop_frames to remove): our `pprofString` of
/// the same bytes must be identical, and pprof must reject what we reject.
enum LegacyOracle {
    static func expectSameAsPprof(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leakscope-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("input")
        try Data(bytes).write(to: file)
        let result = try GoPprof.run(["-raw", file.path])
        let ours = Result { () throws(ProfileError) -> Profile in try LegacyProfileParser.parse(bytes) }
        switch ours {
        case .success(let profile):
            #expect(result.succeeded, "we parse what pprof rejects: \(result.stderrText)", sourceLocation: sourceLocation)
            if result.succeeded {
                #expect(profile.pprofString == result.stdoutText, sourceLocation: sourceLocation)
            }
        case .failure(let error):
            #expect(!result.succeeded, "pprof parses what we reject (\(error))", sourceLocation: sourceLocation)
        }
    }
}
