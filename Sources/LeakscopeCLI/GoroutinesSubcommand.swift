import ArgumentParser
import Foundation
import LeakscopeBytes
import LeakscopeCapture
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
        ordered by the time they were taken when every one says (a capture directory's manifest, \
        a proto profile's own time), else by modification time (or as given, with --keep-order), \
        and compared for growth. Rates per minute are printed only from those known times: a file's \
        modification time says when it was copied, not when the dump was taken.
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

    @Flag(help: "Keep the dumps in the order given instead of ordering them by the time they were taken.")
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
            let taken = captureTime(path) ?? dump.takenAtNanos.map { Double($0) / 1e9 }
            inputs.append(TimedGoroutineDump(name: path == "-" ? "<stdin>" : path, dump: dump, time: taken))
        }
        if !keepOrder {
            // Known times order the dumps; failing those, modification times (order only, never rates).
            // A stable sort keeps the given order for equal times.
            let known = inputs.allSatisfy { $0.time != nil }
            let keys = known ? inputs.map(\.time) : files.map(modificationTime)
            if keys.allSatisfy({ $0 != nil }) {
                inputs = zip(inputs, keys).enumerated()
                    .sorted { ($0.element.1!, $0.offset) < ($1.element.1!, $1.offset) }.map(\.element.0)
            }
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

    /// Seconds since 1970 at which a capture fetched the file: its request's start in the
    /// `manifest.json` of the capture directory holding it (its folder, or the one above: captures
    /// keep each snapshot in `snap-NN/`); nil when there is none or it does not list the file.
    func captureTime(_ path: String) -> Double? {
        guard path != "-" else { return nil }
        let file = URL(fileURLWithPath: path).standardizedFileURL
        var directory = file.deletingLastPathComponent()
        for _ in 0..<2 {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent(CaptureManifest.fileName).path) {
                guard let manifest = try? CaptureManifest.load(directory: directory) else { return nil }
                let relative = String(file.path.dropFirst(directory.path.count + 1))
                return manifest.requestTime(ofFile: relative)?.timeIntervalSince1970
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Seconds since 1970 of the file's last modification; nil for standard input.
    func modificationTime(_ path: String) -> Double? {
        guard path != "-",
              let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        else { return nil }
        return date.timeIntervalSince1970
    }
}
