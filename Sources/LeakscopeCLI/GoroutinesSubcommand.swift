import ArgumentParser
import Foundation
import LeakscopeBytes
import LeakscopeGoroutineAnalysis
import LeakscopeGoroutines
import LeakscopePresentation

/// `leakscope goroutines`: summarise goroutine dumps and rank leak suspects.
struct GoroutinesSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goroutines",
        abstract: "Summarise goroutine dumps and rank leak suspects.",
        discussion: """
        Reads goroutine dumps (goroutine?debug=2, runtime.Stack, panics and SIGQUIT output, debug=1 \
        and proto goroutine profiles). Several files are several dumps of one process: they are \
        ordered by modification time (or as given, with --keep-order) and compared for growth.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Dump files, oldest first after ordering; '-' reads standard input.")
    var files: [String]

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .customLong("html"), help: "Also write a self-contained HTML report to this file.")
    var htmlPath: String?

    @Option(name: .customLong("leak-profile"),
            help: "A goroutineleak profile (any format) taken with the last dump; its (leaked) goroutines count as evidence.")
    var leakProfiles: [String] = []

    @Flag(help: "Keep the dumps in the order given instead of ordering them by modification time.")
    var keepOrder = false

    @Option(help: "How many non-suspect buckets the text summary lists.")
    var top = 20

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one dump file, or '-' for standard input") }
        guard files.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("'-' can be given only once") }
        guard top >= 0 else { throw ValidationError("--top must not be negative") }
    }

    func run() throws {
        do {
            try FileBytes.writeToStandardOutput([UInt8](try output()))
        } catch let failure as OneLineError {
            // One line, like `leakscope pprof`: unreadable input is not a usage mistake.
            printError("leakscope: \(failure.message)")
            throw ExitCode(failure.exitCode)
        }
    }

    /// Reads the dumps, writes the HTML report if asked, and returns what goes to standard output.
    func output() throws -> Data {
        var inputs: [TimedGoroutineDump] = []
        for path in files {
            let dump: GoroutineDump
            do {
                dump = try GoroutineDump.read(path: path)
            } catch {
                throw OneLineError("\(error)")
            }
            for warning in dump.warnings.prefix(3) {
                printError("leakscope: \(path): \(warning)")
            }
            inputs.append(TimedGoroutineDump(name: path == "-" ? "<stdin>" : path, dump: dump, time: modificationTime(path)))
        }
        if !keepOrder, inputs.allSatisfy({ $0.time != nil }) {
            // A stable sort keeps the given order for equal times.
            inputs = inputs.enumerated().sorted { ($0.element.time!, $0.offset) < ($1.element.time!, $1.offset) }.map(\.element)
        }
        var leakDumps: [GoroutineDump] = []
        for path in leakProfiles {
            do {
                leakDumps.append(try GoroutineDump.read(path: path))
            } catch {
                throw OneLineError("\(error)")
            }
        }
        let analysis = GoroutineAnalysis.analyze(inputs, leakProfiles: leakDumps)
        if let htmlPath {
            let html = GoroutineHTML.render(analysis, title: "leakscope goroutines: " + inputs.map(\.name).joined(separator: ", "))
            do {
                try Data(html.utf8).write(to: URL(fileURLWithPath: htmlPath))
            } catch {
                throw OneLineError("cannot write \(htmlPath): \(error.localizedDescription)")
            }
        }
        switch format {
        case .text:
            return Data(GoroutineText.render(analysis, top: top).utf8)
        case .json:
            var data = GoroutineJSON.render(analysis)
            data.append(UInt8(ascii: "\n"))
            return data
        }
    }

    /// Seconds since 1970 of the file's last modification; nil for standard input.
    func modificationTime(_ path: String) -> Double? {
        guard path != "-",
              let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        else { return nil }
        return date.timeIntervalSince1970
    }
}
