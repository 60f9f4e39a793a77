import Foundation
import LeakscopeBytes

/// Renders `-dot` output with Graphviz's `dot`, as `go tool pprof -svg/-png/-pdf` does.
enum Graphviz {
    /// The one line printed when `dot` cannot be run.
    static let missingMessage = "failed to execute dot. Is Graphviz installed? (-svg, -png, -pdf, -gif, -ps and -web "
        + "render the -dot graph with Graphviz's dot; -dot prints the graph without it)"

    /// `dot -T<format>` on `source`; its output bytes.
    static func render(_ source: [UInt8], format: String) throws(OneLineError) -> [UInt8] {
        guard let dot = executable("dot") else { throw OneLineError(missingMessage) }
        let input: String
        do { input = try temporaryFile(source, suffix: ".dot") } catch { throw error }
        defer { try? FileManager.default.removeItem(atPath: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-T" + format, input]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw OneLineError(missingMessage) }
        // dot's stderr is small; read stdout to the end first so a large image cannot fill the pipe.
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            throw OneLineError("dot -T\(format) failed (exit \(process.terminationStatus)): \(text)")
        }
        return [UInt8](bytes)
    }

    /// Writes `bytes` to a new file in the temporary directory; its path.
    static func temporaryFile(_ bytes: [UInt8], suffix: String) throws(OneLineError) -> String {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let path = directory + "/leakscope-" + UUID().uuidString.prefix(8).lowercased() + suffix
        try FileBytes.write(bytes, to: path)
        return path
    }

    /// The path of `name` on `PATH`, or nil.
    static func executable(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return path.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Tries to open `url` in the user's browser, as pprof does; quietly does nothing without one.
package enum BrowserOpener {
    /// True if a browser command was started.
    @discardableResult
    package static func open(_ url: String) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let browser = environment["BROWSER"], !browser.isEmpty { candidates.append(browser) }
        candidates += ["xdg-open", "x-www-browser", "sensible-browser"]
        for name in candidates {
            let executable = name.hasPrefix("/") ? name : Graphviz.executable(name)
            guard let executable, FileManager.default.isExecutableFile(atPath: executable) else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            if (try? process.run()) != nil { return true }
        }
        return false
    }
}
