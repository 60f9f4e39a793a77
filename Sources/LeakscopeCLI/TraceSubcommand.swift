import ArgumentParser
import Foundation
import LeakscopeBytes
import LeakscopeCollect
import LeakscopeFindings
import LeakscopeLifecycle
import LeakscopePresentation
import LeakscopeTrace

/// `leakscope trace`: goroutine lifecycles per creation site from a Go execution trace.
struct TraceSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Goroutine lifecycles from a Go execution trace: leaks, spawn storms, churn.",
        discussion: """
        Reads an execution trace written by Go 1.22 or later (runtime/trace, go test -trace, \
        /debug/pprof/trace) from a file, or takes one from a running service: give its base URL \
        (http://127.0.0.1:6060) and --seconds. Goroutines are grouped by the application function \
        whose go statement created them; a site whose goroutines were created during the trace, \
        never ended and wait at the end is reported as a leak.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum Level: String, ExpressibleByArgument, CaseIterable { case warning, critical }

    @Argument(help: "A trace file, or the base URL of a service serving net/http/pprof.")
    var input: String

    @Option(help: "Seconds to trace when INPUT is a URL.")
    var seconds = 5

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .customLong("html"), help: "Also write a self-contained HTML report to this file.")
    var htmlPath: String?

    @Option(name: .customLong("save"), help: "When INPUT is a URL, also save the fetched trace to this file.")
    var savePath: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding reaches this severity: warning or critical.")
    var failOn: Level?

    @Option(help: "How many creation sites the text output lists.")
    var top = 15

    func validate() throws {
        guard (1...3600).contains(seconds) else { throw ValidationError("--seconds must be between 1 and 3600") }
        guard top >= 0 else { throw ValidationError("--top must not be negative") }
    }

    var isURL: Bool { input.hasPrefix("http://") || input.hasPrefix("https://") }

    @OptionGroup var redirects: RedirectOption

    func run() async throws {
        redirects.apply()
        let report: LifecycleReport
        do {
            report = try await analyze()
            if let htmlPath {
                let html = TraceHTML.render(report, title: "leakscope trace: \(input)")
                do {
                    try Data(html.utf8).write(to: URL(fileURLWithPath: htmlPath))
                } catch {
                    throw OneLineError("cannot write \(htmlPath): \(error.localizedDescription)")
                }
            }
        } catch let failure as OneLineError {
            printError("leakscope: \(failure.message)")
            throw ExitCode(failure.exitCode)
        }
        switch format {
        case .text: FileHandle.standardOutput.write(Data(TraceText.render(report, name: input, top: top).utf8))
        case .json:
            var data = TraceJSON.render(report)
            data.append(UInt8(ascii: "\n"))
            FileHandle.standardOutput.write(data)
        }
        if let failOn {
            let threshold: Finding.Severity = failOn == .critical ? .critical : .warning
            if report.findings.contains(where: { $0.severity <= threshold }) { throw ExitCode(1) }
        }
    }

    /// Reads the file, or fetches the trace, and analyses it; failures are one line.
    func analyze() async throws -> LifecycleReport {
        do {
            if isURL {
                let url = Self.traceURL(input, seconds: seconds)
                let bytes: [UInt8]
                do {
                    bytes = try await ProfileFetcher.fetch(url: url, timeout: .seconds(seconds + 30))
                } catch {
                    throw OneLineError("\(error)")
                }
                if let savePath {
                    do {
                        try Data(bytes).write(to: URL(fileURLWithPath: savePath))
                    } catch {
                        throw OneLineError("cannot write \(savePath): \(error.localizedDescription)")
                    }
                }
                return try LifecycleAnalysis.analyze(TraceReader(bytes: bytes), source: url)
            }
            return try LifecycleAnalysis.analyze(TraceReader(path: input), source: input)
        } catch let error as TraceError {
            throw OneLineError("\(input): \(error)")
        }
    }

    /// `BASE/debug/pprof/trace?seconds=N`; a URL that already names the trace endpoint keeps its path.
    static func traceURL(_ base: String, seconds: Int) -> String {
        var url = base
        if let query = url.firstIndex(of: "?") { url = String(url[..<query]) }
        if !url.hasSuffix("/debug/pprof/trace") {
            while url.hasSuffix("/") { url.removeLast() }
            url += "/debug/pprof/trace"
        }
        return url + "?seconds=\(seconds)"
    }
}
