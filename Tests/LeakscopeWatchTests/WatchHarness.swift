import Foundation
import AsyncHTTPClient
import NIOCore
import LeakscopeCollect
import LeakscopeTestSupport

/// Shared pieces of the watch tests: the Go fleet fixture, `leakscope watch` and Alertmanager as
/// child processes, HTTP reads, and waiting for a condition without blocking a thread.
enum WatchHarness {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A new folder under this test process's scratch folder.
    static func folder(_ name: String) throws -> URL {
        let dir = TestPaths.scratch.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes `dir/watch.yaml`: a store in `dir`, an API on a port of the kernel's choice, then `rest`.
    static func config(in dir: URL, _ rest: String) throws -> URL {
        let file = dir.appendingPathComponent("watch.yaml")
        try "store: sqlite:\(dir.path)/watch.db\nlisten: 127.0.0.1:0\n\(rest)".write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Starts one `watchfleet` process with `arguments`; returns it and the URLs it listens on.
    static func startFleet(_ binary: URL, _ arguments: [String], listeners: Int = 1) async throws -> (ChildProcess, [String]) {
        let out = TestPaths.scratch.appendingPathComponent("fleet-\(UUID().uuidString).out")
        let child = try ChildProcess(binary.path, arguments, stdout: out)
        let urls = try await waitFor("watchfleet \(arguments) to listen", seconds: 20) { () -> [String]? in
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            let urls = text.split(separator: "\n").compactMap { line -> String? in
                line.hasPrefix("listening on ") ? String(line.dropFirst("listening on ".count)) : nil
            }
            return urls.count >= listeners ? urls : nil
        }
        return (child, urls)
    }

    /// Starts `leakscope watch --config FILE` (with `environment`, else this process's); returns it and its API base URL (from its log line).
    static func startWatch(config: URL, environment: [String: String]? = nil) async throws -> (ChildProcess, String) {
        let child = try ChildProcess(try LeakscopeBinary.path(), ["watch", "--config", config.path], environment: environment)
        // A watcher that never listens must not outlive the test.
        var started = false
        defer { if !started { child.signal(SIGKILL) } }
        let base = try await waitFor("leakscope watch to listen", seconds: 30) { () -> String? in
            if child.hasExited { return "exited" }
            let text = (try? String(contentsOfFile: child.stderrPath, encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first(where: { $0.contains("listening on ") }),
                  let range = line.range(of: "listening on ") else { return nil }
            return "http://" + line[range.upperBound...]
        }
        if base == "exited" {
            let result = await child.result()
            throw Failure(description: "leakscope watch exited: \(result.stderrText)")
        }
        started = true
        return (child, base)
    }

    /// Starts Debian's Alertmanager on a free loopback port with its own config and storage.
    static func startAlertmanager() async throws -> (ChildProcess, String) {
        guard let binary = ProcessRunner.which("prometheus-alertmanager") ?? ProcessRunner.which("alertmanager") else {
            throw Failure(description: "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)")
        }
        let dir = try folder("alertmanager")
        let config = dir.appendingPathComponent("alertmanager.yml")
        try """
        route:
          receiver: blackhole
          group_wait: 1s
        receivers:
          - name: blackhole
        """.write(to: config, atomically: true, encoding: .utf8)
        let port = try freePort()
        let child = try ChildProcess(binary, [
            "--config.file=\(config.path)", "--storage.path=\(dir.path)", "--web.listen-address=127.0.0.1:\(port)",
            "--cluster.listen-address=", "--log.level=warn",
        ])
        let base = "http://127.0.0.1:\(port)"
        _ = try await waitFor("alertmanager to answer", seconds: 30) { () async -> Bool? in
            if child.hasExited { return true }
            return (try? await get(base + "/-/ready"))?.status == 200 ? true : nil
        }
        if child.hasExited {
            let result = await child.result()
            throw Failure(description: "alertmanager exited: \(result.stderrText)")
        }
        return (child, base)
    }

    /// A port nothing listens on right now (bound and released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct Response {
        var status: Int
        var contentType: String?
        var body: [UInt8]
        /// Every header by its lowercased name (the last of a repeated one).
        var headers: [String: String] = [:]
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body)) }
    }

    /// A GET; redirects are not followed (the shared client refuses them), so a 3xx is the answer.
    static func get(_ url: String, headers: [(String, String)] = []) async throws -> Response {
        let client = HTTPClients.shared.client(.init(verifyCertificates: true, caFile: nil, connectMilliseconds: 2000))
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(10))
        var body: [UInt8] = []
        for try await buffer in response.body { buffer.withUnsafeReadableBytes { body.append(contentsOf: $0) } }
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        return Response(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"), body: body,
                        headers: fields)
    }

    /// Polls `probe` every 200 ms until it returns a value or `seconds` pass.
    static func waitFor<T>(_ what: String, seconds: Double, _ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            await pause(seconds: 0.2)
        }
        // One last look: on a busy runner the pause can overshoot the deadline.
        if let value = try await probe() { return value }
        throw Failure(description: "timed out after \(seconds)s waiting for \(what)")
    }

    /// `/api/v1/<path>`'s array `key` as dictionaries.
    static func list(_ base: String, _ path: String, _ key: String) async throws -> [[String: Any]] {
        let response = try await get(base + path)
        return ((try response.json() as? [String: Any])?[key] as? [[String: Any]]) ?? []
    }
}
