import Foundation
import LeakscopeTestSupport

/// A `leakscope` server started for a test: `pprof -http=127.0.0.1:0 -no_browser …` or
/// `serve --http 127.0.0.1:0 --no-browser …`. The port comes from the line it prints.
struct RunningServer: Sendable {
    let process: ChildProcess
    /// `http://127.0.0.1:PORT` (no trailing slash).
    let base: String
    /// The printed URL (with `?token=` when the server asked for one).
    let printedURL: String

    /// Starts `leakscope arguments` and waits (up to 60 s) for `Serving web UI on URL`.
    static func start(_ arguments: [String]) async throws -> RunningServer {
        let process = try ChildProcess(try LeakscopeBinary.path(), arguments)
        for _ in 0..<600 {
            let stderr = (try? String(contentsOfFile: process.stderrPath, encoding: .utf8)) ?? ""
            if let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("Serving web UI on ") }) {
                let url = String(line.dropFirst("Serving web UI on ".count))
                guard let start = url.range(of: "://"),
                      let slash = url[start.upperBound...].firstIndex(of: "/") else {
                    await process.stop()
                    throw WebTestError("unexpected URL line: \(line)")
                }
                return RunningServer(process: process, base: String(url[..<slash]), printedURL: url)
            }
            if process.hasExited {
                let result = await process.result()
                throw WebTestError("server exited before serving: \(result.summary)")
            }
            await pause(seconds: 0.1)
        }
        await process.stop()
        throw WebTestError("server did not print its URL within 60 s")
    }

    /// Stops the server (once: a second call finds it gone and does nothing).
    func stop() async {
        if !process.hasExited { await process.stop() }
    }
}

/// One HTTP answer, fetched with curl (a separate process, so no test thread blocks on it).
struct HTTPAnswer {
    let status: Int
    let headers: [String: String]
    let body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

enum HTTP {
    /// GETs `url` without following redirects. `headers` are sent as given (`Name: value`).
    static func get(_ url: String, headers: [String] = []) async throws -> HTTPAnswer {
        let scratch = TestPaths.scratch.appendingPathComponent("web-\(UUID().uuidString)")
        let headerFile = scratch.path + ".headers", bodyFile = scratch.path + ".body"
        defer {
            unlink(headerFile)
            unlink(bodyFile)
        }
        var arguments = ["-s", "-g", "--max-time", "120", "-D", headerFile, "-o", bodyFile, "-w", "%{http_code}"]
        for header in headers { arguments += ["-H", header] }
        arguments.append(url)
        let result = try await ProcessRunner.run("/usr/bin/curl", arguments)
        guard result.succeeded, let status = Int(result.stdoutText) else {
            throw WebTestError("curl \(url) failed: \(result.summary)")
        }
        var fields: [String: String] = [:]
        let raw = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        for line in raw.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = (try? Data(contentsOf: URL(fileURLWithPath: bodyFile))) ?? Data()
        return HTTPAnswer(status: status, headers: fields, body: [UInt8](body))
    }
}

struct WebTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads the rows of the top view back into `go tool pprof -top`'s line format.
enum TopPage {
    /// The legend lines and each table row printed as pprof prints it.
    static func lines(_ html: String) -> (legend: [String], rows: [String]) {
        var legend: [String] = []
        if let start = html.range(of: "<div class=\"legend\">"), let end = html.range(of: "</div>", range: start.upperBound..<html.endIndex) {
            legend = html[start.upperBound..<end.lowerBound].split(separator: "\n").map { unescape(String($0)) }
        }
        var rows: [String] = []
        for match in html.matches(of: /<tr data-flat="[^"]*" data-cum="[^"]*">(.*?)<\/tr>/) {
            let cells = String(match.output.1).matches(of: /<td[^>]*>(.*?)<\/td>/).map { unescape(String($0.output.1)) }
            guard cells.count >= 7 else { continue }
            func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
            rows.append(pad(cells[0], 10) + " " + cells[1] + " " + cells[2] + " " + pad(cells[3], 10) + " " + cells[4] + "  "
                        + cells[5] + (cells[6].isEmpty ? "" : " " + cells[6]))
        }
        return (legend, rows)
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Runs a selenium script of `Tests/Fixtures/web` (headless Chromium) against a running server.
enum BrowserScript {
    /// Where screenshots go: `LEAKSCOPE_WEB_SHOTS` keeps them somewhere to look at; by default they
    /// go with the scratch folder.
    static var shots: String {
        ProcessInfo.processInfo.environment["LEAKSCOPE_WEB_SHOTS"]
            ?? TestPaths.scratch.appendingPathComponent("web-screenshots").path
    }

    /// `python3 Tests/Fixtures/web/<name> BASE SHOTS` with selenium kept offline; one child slot of
    /// its own (`.timed`), since a browser is heavy on a loaded machine.
    static func run(_ name: String, against server: RunningServer) async throws -> ProcessResult {
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/web/" + name).path
        var environment = ProcessInfo.processInfo.environment
        environment["SE_OFFLINE"] = "true"
        environment["SE_AVOID_STATS"] = "true"
        guard let python = ProcessRunner.which("python3") else { throw WebTestError("python3 is needed for the browser tests") }
        return try await ProcessRunner.run(python, [script, server.base, shots], environment: environment, slot: .timed)
    }
}
