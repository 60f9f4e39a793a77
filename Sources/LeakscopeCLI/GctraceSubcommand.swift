import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeBytes
import LeakscopeGodebug
import LeakscopeGodebugAnalysis
import LeakscopePresentation

/// `leakscope gctrace`: summarise a GODEBUG runtime log with verdicts and small charts.
struct GctraceSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gctrace",
        abstract: "Summarise a GODEBUG gctrace/schedtrace/scavtrace log with verdicts and charts.",
        discussion: """
        Reads the stderr of a Go program started with GODEBUG=gctrace=1 (and optionally schedtrace=N, \
        scheddetail=1, scavtrace=1), mixed with any other log lines, from Go 1.5 to 1.27. Judges the live-heap \
        trend, GC CPU share, GC rate and pauses, OS threads, run queues and (with scheddetail) goroutines. Example: \
        GODEBUG=gctrace=1,schedtrace=1000 ./service 2> gc.log; leakscope gctrace gc.log
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum ColorMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    @Argument(help: "The log file; '-' reads standard input.")
    var file: String

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "Colour in text output: auto (on a terminal), always or never.")
    var color: ColorMode = .auto

    @Option(help: "Chart width in columns.")
    var width = 60

    func validate() throws {
        guard (10...400).contains(width) else { throw ValidationError("--width must be between 10 and 400") }
    }

    func run() throws {
        let trace: RuntimeTrace
        do {
            trace = try RuntimeLog.read(path: file)
        } catch {
            // One line, like the other subcommands: unreadable input is not a usage mistake.
            printError("leakscope: \(error)")
            throw ExitCode(2)
        }
        let summary = RuntimeSummary(trace, source: file == "-" ? "<stdin>" : file)
        var output: [UInt8]
        switch format {
        case .text:
            let useColor = color == .always || (color == .auto && isatty(STDOUT_FILENO) == 1)
            output = Array(RuntimeText.render(summary, color: useColor, width: width).utf8)
        case .json:
            output = RuntimeJSON.render(summary)
            output.append(UInt8(ascii: "\n"))
        }
        do {
            try FileBytes.writeToStandardOutput(output)
        } catch {
            if error.printed { printError("leakscope: \(error.message)") }
            throw ExitCode(error.exitCode)
        }
    }
}
