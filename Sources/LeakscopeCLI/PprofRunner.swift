import LeakscopeAnalysis
import LeakscopeCollect
import LeakscopeProfile

/// Runs `leakscope pprof` on raw arguments: parse the command line like go tool pprof, read and
/// merge the sources, build the report, write it. Returns the exit status; every failure has
/// already been reported as one line on stderr.
enum PprofRunner {
    static func run(_ arguments: [String]) async -> Int32 {
        let invocation: PprofInvocation
        do {
            invocation = try PprofInvocation.parse(arguments, isExecutable: ExecutableFile.isExecutable)
        } catch .help {
            try? FileBytes.writeToStandardOutput(Array(PprofFlags.fullUsage.utf8))
            return 0
        } catch .flag(let failure) {
            printError("leakscope: \(failure)")
            printError(PprofFlags.shortUsage)
            return 2
        } catch {
            printError("leakscope: \(error)")
            return 2
        }
        for warning in invocation.warnings { printError("leakscope: \(warning)") }
        do {
            try await execute(invocation)
            return 0
        } catch {
            if error.printed { printError("leakscope: \(error.message)") }
            return error.exitCode
        }
    }

    static func execute(_ invocation: PprofInvocation) async throws(CLIError) {
        let arguments = invocation.sources + invocation.bases
        let located = arguments.map {
            ProfileSource.locate($0, seconds: invocation.seconds, timeout: invocation.timeout)
        }
        var loaded = try await load(located)
        let bases = Array(loaded.dropFirst(invocation.sources.count))
        loaded.removeSubrange(invocation.sources.count...)
        // Handed over, not shared: merging then mutates the profiles in place instead of copying them.
        let report = try PprofSteps.report(sources: consume loaded, bases: consume bases, invocation: invocation)
        let anyRemote = located.contains { if case .url = $0 { true } else { false } }
        if anyRemote, let combined = report.combined {
            // Like go tool pprof: keep what was fetched, since it cannot be fetched again.
            SavedProfiles.save(combined)
        }
        for warning in report.warnings { printError(warning) }
        if let path = invocation.outputPath {
            // go tool pprof says where the report went; so do we.
            printError("Generating report in \(path)")
            try FileBytes.write(report.bytes, to: path)
        } else {
            try FileBytes.writeToStandardOutput(report.bytes)
        }
    }

    /// Reads and parses every source concurrently (fetches overlap, parsing uses both cores) and
    /// keeps argument order.
    static func load(_ located: [ProfileSource]) async throws(CLIError) -> [Profile] {
        do {
            return try await withThrowingTaskGroup(of: (Int, Profile).self) { group in
                for (index, source) in located.enumerated() {
                    group.addTask { (index, try await loadOne(source)) }
                }
                var profiles = [Profile?](repeating: nil, count: located.count)
                for try await (index, profile) in group { profiles[index] = profile }
                return profiles.compactMap { $0 }
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(String(describing: error))
        }
    }

    private static func loadOne(_ source: ProfileSource) async throws(CLIError) -> Profile {
        let bytes: [UInt8]
        let name: String
        switch source {
        case .file(let path):
            bytes = try FileBytes.read(path)
            name = path
        case .url(let url, let timeout):
            printError("Fetching profile over HTTP from \(url)")
            if let seconds = ProfileSource.queryValue(url, name: "seconds"), let value = Int(seconds), value > 0 {
                printError("Please wait... (\(value)s)")
            }
            do {
                let insecurePrefix = "https+insecure://"
                if url.hasPrefix(insecurePrefix) {
                    bytes = try await ProfileFetcher.fetch(url: "https://" + url.dropFirst(insecurePrefix.count),
                                                           timeout: timeout, verifyCertificates: false)
                } else {
                    bytes = try await ProfileFetcher.fetch(url: url, timeout: timeout)
                }
            } catch {
                throw CLIError(error.description)
            }
            name = url
        }
        return try PprofSteps.parse(bytes, source: name)
    }
}
