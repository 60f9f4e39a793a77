import LeakscopeBytes
import LeakscopeProfile

/// Fetches the body of a profile URL for the driver. The I/O layer provides the real one
/// (`HTTPProfileFetcher` in LeakscopeCollect); a test or a daemon can serve bytes of its own.
public protocol ProfileFetching: Sendable {
    /// GETs `url` (http or https) within `timeout`; `verifyCertificates` false is pprof's `https+insecure://`.
    /// Failures are one line naming the URL.
    func fetch(url: String, timeout: Duration, verifyCertificates: Bool) async throws(OneLineError) -> [UInt8]
    /// The same, following redirects to another scheme, host or port when `followRedirectsAnywhere`
    /// (`-follow_redirects`); by default a fetcher follows only same-origin redirects.
    func fetch(url: String, timeout: Duration, verifyCertificates: Bool,
               followRedirectsAnywhere: Bool) async throws(OneLineError) -> [UInt8]
}

extension ProfileFetching {
    /// A fetcher with no redirect choice of its own (a test's, a daemon's) serves both calls alike.
    public func fetch(url: String, timeout: Duration, verifyCertificates: Bool,
                      followRedirectsAnywhere: Bool) async throws(OneLineError) -> [UInt8] {
        try await fetch(url: url, timeout: timeout, verifyCertificates: verifyCertificates)
    }
}

/// Runs any `go tool pprof` report command in-process: parse the command line like pprof, read and
/// merge the sources (files, or URLs through `fetcher`), build the report.
///
/// ```swift
/// let driver = PprofDriver(fetcher: HTTPProfileFetcher())
/// let report = try await driver.report(["-top", "-nodecount=10", "heap.pb.gz"])
/// ```
public struct PprofDriver: Sendable {
    let fetcher: any ProfileFetching
    let webServer: (any PprofWebServing)?

    /// A driver that gets URL sources through `fetcher`; file sources are read directly.
    /// `webServer` serves `-http`; without one, `-http` is refused.
    public init(fetcher: any ProfileFetching, webServer: (any PprofWebServing)? = nil) {
        self.fetcher = fetcher
        self.webServer = webServer
    }

    /// The report `arguments` ask for (flags as `go tool pprof` takes them), without writing it
    /// anywhere. The notes pprof prints beside a report (ignored flags, dropped samples) are in the
    /// result's `warnings`; fetch progress lines are not kept.
    public func report(_ arguments: [String]) async throws(OneLineError) -> PprofResult {
        let invocation: PprofInvocation
        do {
            invocation = try PprofInvocation.parse(arguments, isExecutable: ExecutableFile.isExecutable)
        } catch .help {
            throw OneLineError(PprofFlags.shortUsage)
        } catch .flag(let failure) {
            throw OneLineError("\(failure)")
        } catch {
            throw OneLineError("\(error)")
        }
        var result = try await report(invocation, progress: { _ in })
        result.warnings.insert(contentsOf: invocation.warnings, at: 0)
        return result
    }

    /// Runs `leakscope pprof` on raw arguments as the command line does: the report goes to stdout or
    /// `-output`, everything else to stderr. Returns the exit status; every failure has already been
    /// reported as one line on stderr.
    package func run(_ arguments: [String]) async -> Int32 {
        let invocation: PprofInvocation
        do {
            invocation = try PprofInvocation.parse(arguments, isExecutable: ExecutableFile.isExecutable)
        } catch .help {
            try? FileBytes.writeToStandardOutput(Array(PprofFlags.fullUsage.utf8))
            return 0
        } catch .flag(let failure) {
            printError("leakscope: \(failure)")
            printErrorLines(PprofFlags.shortUsage)
            return 2
        } catch {
            printError("leakscope: \(error)")
            return 2
        }
        for warning in invocation.warnings { printError("leakscope: \(warning)") }
        if let address = invocation.http {
            guard let webServer else {
                printError("leakscope: -http: this build has no web UI")
                return 2
            }
            do {
                let loaded = try await self.session(invocation, progress: printError)
                return await webServer.serve(loaded, address: address, openBrowser: !invocation.noBrowser)
            } catch {
                printError("leakscope: \(error.message)")
                return error.exitCode
            }
        }
        do {
            try await execute(invocation)
            return 0
        } catch {
            if error.printed { printError("leakscope: \(error.message)") }
            return error.exitCode
        }
    }

    func execute(_ invocation: PprofInvocation) async throws(OneLineError) {
        let report = try await report(invocation, progress: printError)
        if report.fetchedRemotely, let combined = report.combined {
            // Like go tool pprof: keep what was fetched, since it cannot be fetched again.
            SavedProfiles.save(combined)
        }
        for warning in report.warnings { printError(warning) }
        var bytes = report.bytes
        if let format = invocation.graphvizFormat { bytes = try Graphviz.render(bytes, format: format) }
        if invocation.web && invocation.outputPath == nil {
            let path = try Graphviz.temporaryFile(bytes, suffix: ".svg")
            if !BrowserOpener.open("file://" + path) {
                printError("No browser found; the graph is in \(path)")
            }
            return
        }
        if let path = invocation.outputPath {
            // go tool pprof says where the report went; so do we.
            printError("Generating report in \(path)")
            try FileBytes.write(bytes, to: path)
        } else {
            try FileBytes.writeToStandardOutput(bytes)
        }
    }

    func report(_ invocation: PprofInvocation, progress: @escaping @Sendable (String) -> Void)
        async throws(OneLineError) -> PprofResult {
        let arguments = invocation.sources + invocation.bases
        let located = arguments.map {
            ProfileSource.locate($0, seconds: invocation.seconds, timeout: invocation.timeout)
        }
        var loaded = try await load(located, followRedirects: invocation.followRedirects, progress: progress)
        let bases = Array(loaded.dropFirst(invocation.sources.count))
        loaded.removeSubrange(invocation.sources.count...)
        // Handed over, not shared: merging then mutates the profiles in place instead of copying them.
        var report = try PprofSteps.report(sources: consume loaded, bases: consume bases, invocation: invocation)
        report.fetchedRemotely = located.contains { if case .url = $0 { true } else { false } }
        return report
    }

    /// Loads and combines the sources once, for a server to report on many times.
    func session(_ invocation: PprofInvocation, progress: @escaping @Sendable (String) -> Void)
        async throws(OneLineError) -> PprofSession {
        let located = (invocation.sources + invocation.bases).map {
            ProfileSource.locate($0, seconds: invocation.seconds, timeout: invocation.timeout)
        }
        var loaded = try await load(located, followRedirects: invocation.followRedirects, progress: progress)
        if invocation.allFrames {
            for i in loaded.indices {
                loaded[i].dropFrames = ""
                loaded[i].keepFrames = ""
            }
        }
        if let comment = invocation.addComment, !loaded.isEmpty { loaded[0].comments.append(comment) }
        let bases = Array(loaded.dropFirst(invocation.sources.count))
        loaded.removeSubrange(invocation.sources.count...)
        return try PprofSession(sources: loaded, bases: bases, diffBase: invocation.diffBase, options: invocation.options,
                                title: PprofSteps.title(invocation))
    }

    /// Reads and parses every source concurrently (fetches overlap, parsing uses both cores) and
    /// keeps argument order. `followRedirects` is `-follow_redirects`.
    func load(_ located: [ProfileSource], followRedirects: Bool = false,
              progress: @escaping @Sendable (String) -> Void)
        async throws(OneLineError) -> [Profile] {
        do {
            return try await withThrowingTaskGroup(of: (Int, Profile).self) { group in
                for (index, source) in located.enumerated() {
                    group.addTask { (index, try await loadOne(source, followRedirects: followRedirects, progress: progress)) }
                }
                var profiles = [Profile?](repeating: nil, count: located.count)
                for try await (index, profile) in group { profiles[index] = profile }
                return profiles.compactMap { $0 }
            }
        } catch let error as OneLineError {
            throw error
        } catch {
            throw OneLineError(String(describing: error))
        }
    }

    private func loadOne(_ source: ProfileSource, followRedirects: Bool, progress: @Sendable (String) -> Void)
        async throws(OneLineError) -> Profile {
        let bytes: [UInt8]
        let name: String
        switch source {
        case .file(let path):
            bytes = try FileBytes.read(path)
            name = path
        case .url(let url, let timeout):
            progress("Fetching profile over HTTP from \(url)")
            if let seconds = ProfileSource.queryValue(url, name: "seconds"), let value = Int(seconds), value > 0 {
                progress("Please wait... (\(value)s)")
            }
            let insecurePrefix = "https+insecure://"
            if url.hasPrefix(insecurePrefix) {
                bytes = try await fetcher.fetch(url: "https://" + url.dropFirst(insecurePrefix.count),
                                                timeout: timeout, verifyCertificates: false,
                                                followRedirectsAnywhere: followRedirects)
            } else {
                bytes = try await fetcher.fetch(url: url, timeout: timeout, verifyCertificates: true,
                                                followRedirectsAnywhere: followRedirects)
            }
            name = url
        }
        return try PprofSteps.parse(bytes, source: name)
    }
}
