import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization
import LeakscopeBytes
import LeakscopeFormat
import LeakscopePprofDriver

/// Fetches profiles (and other debug endpoints' bodies) over HTTP with bounded time and memory.
///
/// Every failure is a `FetchError` whose description is one actionable line. The body is streamed
/// and the fetch stops as soon as it passes `maxBytes`, so a hostile or broken server cannot make
/// us buffer without bound; the timeout covers the whole exchange, body included, so a server that
/// stalls mid-body is caught too.
public enum ProfileFetcher {
    /// 512 MiB: far above any real profile (pprof's own goroutine dumps stop at 64 MiB).
    public static let defaultMaxBytes = 512 << 20
    /// Redirects followed before giving up.
    public static let maxRedirects = 10

    /// GETs `url` and returns its body.
    ///
    /// - Parameters:
    ///   - url: an `http://` or `https://` URL.
    ///   - timeout: limit for the whole exchange: connecting, the response head and the body.
    ///   - maxBytes: the body size cap.
    ///   - headers: extra request headers.
    ///   - rejectHTML: fail with `.htmlResponse` when the server answers with an HTML page, which is
    ///     never a profile (a login page, a proxy's error page, the pprof index page).
    ///   - verifyCertificates: false accepts any https certificate (pprof's `https+insecure://`).
    ///   - connectTimeout: limit for setting up the connection; nil means the smaller of `timeout` and 30 s.
    ///   - caFile: a PEM file of certificate authorities trusted instead of the system's.
    ///   - redirects: which redirects to follow; nil means the process-wide `redirectPolicy`.
    public static func fetch(
        url: String,
        timeout: Duration,
        maxBytes: Int = defaultMaxBytes,
        headers: [(name: String, value: String)] = [],
        rejectHTML: Bool = true,
        verifyCertificates: Bool = true,
        connectTimeout: Duration? = nil,
        caFile: String? = nil,
        redirects: RedirectPolicy? = nil
    ) async throws(FetchError) -> [UInt8] {
        let sink = BodySink(url: url, file: nil)
        try await perform(url: url, timeout: timeout, maxBytes: maxBytes, headers: headers, rejectHTML: rejectHTML,
                          verifyCertificates: verifyCertificates, connectTimeout: connectTimeout, caFile: caFile,
                          redirects: redirects ?? redirectPolicy, sink: sink)
        return sink.bytes
    }

    /// Like `fetch`, but writes the body to `file` as it arrives instead of holding it, so memory stays
    /// small whatever `maxBytes` is. Returns the body's size. After a failure the file holds a partial
    /// body; the caller removes it.
    public static func download(
        url: String,
        to file: FileHandle,
        timeout: Duration,
        maxBytes: Int = defaultMaxBytes,
        headers: [(name: String, value: String)] = [],
        rejectHTML: Bool = true,
        verifyCertificates: Bool = true,
        connectTimeout: Duration? = nil,
        caFile: String? = nil,
        redirects: RedirectPolicy? = nil
    ) async throws(FetchError) -> Int {
        let sink = BodySink(url: url, file: file)
        try await perform(url: url, timeout: timeout, maxBytes: maxBytes, headers: headers, rejectHTML: rejectHTML,
                          verifyCertificates: verifyCertificates, connectTimeout: connectTimeout, caFile: caFile,
                          redirects: redirects ?? redirectPolicy, sink: sink)
        return sink.count
    }

    private static func perform(
        url: String, timeout: Duration, maxBytes: Int, headers: [(name: String, value: String)], rejectHTML: Bool,
        verifyCertificates: Bool, connectTimeout: Duration?, caFile: String?, redirects: RedirectPolicy, sink: BodySink
    ) async throws(FetchError) {
        // Checked here, before NIO (which traps on a port above 65535) sees the URL.
        _ = try URLOrigin.parse(url)
        // Bounded so the nanosecond arithmetic below cannot overflow; a year is plenty.
        let timeout = min(max(timeout, .milliseconds(1)), .seconds(366 * 24 * 3600))
        let seconds = max(1, Int64((timeout.components.seconds)) + (timeout.components.attoseconds > 0 ? 1 : 0))
        var connectMilliseconds = min(seconds, 30) * 1000
        if let connectTimeout {
            let bounded = min(max(connectTimeout, .milliseconds(1)), .seconds(3600))
            connectMilliseconds = max(1, bounded.components.seconds &* 1000 &+ bounded.components.attoseconds / 1_000_000_000_000_000)
        }
        let client = HTTPClients.shared.client(.init(verifyCertificates: verifyCertificates, caFile: caFile,
                                                     connectMilliseconds: connectMilliseconds))
        let progress = Progress()
        let outcome: Result<Void, FetchError>
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await exchange(client: client, url: url, timeout: timeout, maxBytes: maxBytes,
                                       headers: headers, rejectHTML: rejectHTML, redirects: redirects,
                                       progress: progress, sink: sink)
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return false
                }
                defer { group.cancelAll() }
                guard let finished = try await group.next(), finished else {
                    // The timer won: leaving the group cancels the request task, which ends the request.
                    throw FetchError(.timedOut(receivedBytes: progress.headReceived ? progress.bytes : nil),
                                     url: url, timedOutMessage(timeout: timeout, progress: progress))
                }
            }
            outcome = .success(())
        } catch let error as FetchError {
            outcome = .failure(error)
        } catch where error is CancellationError || Task.isCancelled {
            outcome = .failure(FetchError(.cancelled, url: url, "interrupted"))
        } catch {
            outcome = .failure(describe(error, url: url, timeout: timeout, progress: progress))
        }
        return try outcome.get()
    }

    private static func exchange(
        client: HTTPClient, url: String, timeout: Duration, maxBytes: Int,
        headers: [(name: String, value: String)], rejectHTML: Bool, redirects: RedirectPolicy, progress: Progress,
        sink: BodySink
    ) async throws {
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(
            Int64(timeout.components.seconds) &* 1_000_000_000 &+ timeout.components.attoseconds / 1_000_000_000)
        let response = try await followingRedirects(client: client, url: url, headers: headers, policy: redirects,
                                                      deadline: deadline)
        progress.markHead()
        let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""

        if response.status != .ok {
            throw try await statusError(response, url: url, contentType: contentType)
        }
        if rejectHTML && contentType.hasPrefix("text/html") {
            throw FetchError(.htmlResponse, url: url, htmlMessage)
        }
        let announced = response.headers.first(name: "content-length").flatMap(Int.init)
        if let announced, announced > maxBytes {
            throw FetchError(.tooLarge(limit: maxBytes), url: url,
                             "response is \(Numbers.count(announced)) bytes, over the \(byteCount(maxBytes)) limit")
        }
        // One allocation when the size is known, instead of doubling (and briefly holding 1.5×).
        if let announced, announced > 0 { sink.reserve(announced) }
        for try await buffer in response.body {
            let (total, overflow) = sink.count.addingReportingOverflow(buffer.readableBytes)
            if overflow || total > maxBytes {
                throw FetchError(.tooLarge(limit: maxBytes), url: url,
                                 "response body passed the \(byteCount(maxBytes)) limit; stopped reading")
            }
            try buffer.withUnsafeReadableBytes { try sink.append($0) }
            progress.add(buffer.readableBytes)
        }
        if rejectHTML && looksLikeHTML(sink.head) {
            throw FetchError(.htmlResponse, url: url, htmlMessage)
        }
    }

    /// Sends the request and follows up to `maxRedirects` redirects by hand, so that each target is
    /// checked against `policy` (same scheme, host and port by default) and its port validated
    /// before NIO sees it. Credentials never go to another origin.
    private static func followingRedirects(
        client: HTTPClient, url: String, headers: [(name: String, value: String)], policy: RedirectPolicy,
        deadline: NIODeadline
    ) async throws -> HTTPClientResponse {
        let origin = try URLOrigin.parse(url)
        var current = url
        var visited: Set<String> = [url]
        for _ in 0...maxRedirects {
            let currentOrigin = try URLOrigin.parse(current)
            var request = HTTPClientRequest(url: current)
            request.headers.add(name: "User-Agent", value: "leakscope")
            for header in headers {
                if currentOrigin != origin && header.name.lowercased() == "authorization" { continue }
                request.headers.add(name: header.name, value: header.value)
            }
            let response = try await client.execute(request, deadline: deadline)
            guard [301, 302, 303, 307, 308].contains(response.status.code),
                  let location = response.headers.first(name: "location")
            else { return response }
            guard let base = URL(string: current), let target = URL(string: location, relativeTo: base)?.absoluteString
            else { throw FetchError(.invalidURL, url: url, "redirected to an invalid URL \(TerminalText.quote(location))") }
            let targetOrigin = try redirectOrigin(target, from: url)
            if policy == .sameOrigin && targetOrigin != origin {
                throw FetchError(.redirectRefused, url: url,
                                 "redirected to \(TerminalText.quote(target)), another host or port; not followed (\(RedirectPolicy.howToAllow) allows it)")
            }
            if !visited.insert(target).inserted { throw FetchError(.redirectLoop, url: url, "redirect loop") }
            current = target
        }
        throw FetchError(.tooManyRedirects, url: url, "more than \(maxRedirects) redirects")
    }

    private static func redirectOrigin(_ target: String, from url: String) throws(FetchError) -> URLOrigin {
        do throws(FetchError) {
            return try URLOrigin.parse(target)
        } catch {
            throw FetchError(.invalidURL, url: url, "redirected to \(TerminalText.quote(target)): \(error.message)")
        }
    }

    /// Which redirects fetches follow when a call does not say: `RedirectPolicy.fromEnvironment`
    /// unless the CLI set it from `--follow-redirects`.
    nonisolated(unsafe) public static var redirectPolicy: RedirectPolicy = .fromEnvironment

    private static let htmlMessage =
        "got an HTML page, not a profile (is the URL right? profiles are under /debug/pprof/NAME, e.g. /debug/pprof/heap)"

    /// An error for a non-200 answer. net/http/pprof marks its own errors with `X-Go-Pprof` and a
    /// plain-text reason, which we pass on as `go tool pprof` does.
    private static func statusError(_ response: HTTPClientResponse, url: String, contentType: String)
        async throws -> FetchError
    {
        let code = Int(response.status.code)
        var message = "server response: \(code) \(response.status.reasonPhrase)"
        if response.headers.first(name: "x-go-pprof") != nil && contentType.contains("text/plain") {
            var text: [UInt8] = []
            for try await buffer in response.body {
                buffer.withUnsafeReadableBytes { text.append(contentsOf: $0.prefix(max(0, 512 - text.count))) }
                if text.count >= 512 { break }
            }
            let reason = String(decoding: text, as: UTF8.self)
                .split(whereSeparator: \.isNewline).joined(separator: " ")
            if !reason.isEmpty { message += " - " + reason }
        } else if code == 404 {
            message += " (net/http/pprof not registered at this path?)"
        } else if code == 401 || code == 403 {
            message += " (needs credentials, such as an Authorization header?)"
        }
        return FetchError(.httpStatus(code), url: url, message)
    }

    /// Whether a body starts like an HTML document (after whitespace and a UTF-8 BOM).
    static func looksLikeHTML(_ body: [UInt8]) -> Bool {
        var start = 0
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < body.count, [0x20, 0x09, 0x0A, 0x0D].contains(body[start]) { start += 1 }
        let head = String(decoding: body[start..<min(body.count, start + 15)], as: UTF8.self).lowercased()
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html") || head.hasPrefix("<head")
            || head.hasPrefix("<body")
    }

    private static func timedOutMessage(timeout: Duration, progress: Progress) -> String {
        let limit = "\(timeout.components.seconds)s"
        if !progress.headReceived { return "no response within \(limit) (-timeout to wait longer)" }
        // A body that stopped arriving is a stall; one still arriving is merely too slow or too long.
        if progress.idle >= .milliseconds(500) {
            return "response body stalled after \(progress.bytes) bytes; gave up after \(limit) (-timeout to wait longer)"
        }
        return "response body unfinished after \(limit) (\(Numbers.count(progress.bytes)) bytes so far; -timeout to wait longer)"
    }

    /// Maps AsyncHTTPClient and NIO errors to one line.
    private static func describe(_ error: any Error, url: String, timeout: Duration, progress: Progress) -> FetchError {
        if let error = error as? HTTPClientError {
            switch error {
            case .redirectLimitReached:
                return FetchError(.tooManyRedirects, url: url, "more than \(maxRedirects) redirects")
            case .redirectCycleDetected:
                return FetchError(.redirectLoop, url: url, "redirect loop")
            case .deadlineExceeded, .readTimeout:
                return FetchError(.timedOut(receivedBytes: progress.headReceived ? progress.bytes : nil),
                                  url: url, timedOutMessage(timeout: timeout, progress: progress))
            case .connectTimeout:
                return FetchError(.connectFailed, url: url, "connection timed out")
            case .remoteConnectionClosed:
                return FetchError(.transport, url: url, progress.headReceived
                    ? "connection closed after \(progress.bytes) bytes of the body"
                    : "connection closed before a response")
            case .invalidURL, .emptyHost, .emptyScheme:
                return FetchError(.invalidURL, url: url, "invalid URL")
            default:
                break
            }
        }
        let text = String(describing: error)
        let lowered = text.lowercased()
        if error is HTTPParserError {
            return FetchError(.transport, url: url, "the server's answer is not HTTP (\(firstLine(text)); is this the right port?)")
        }
        if error is NIOSSLError || error is BoringSSLError || lowered.contains("certificate") {
            return FetchError(.tlsFailed, url: url, tlsMessage(text))
        }
        if lowered.contains("connection refused") || lowered.contains("errno: 111") {
            return FetchError(.connectionRefused, url: url, "connection refused (is the program running, and is net/http/pprof serving on this port?)")
        }
        if lowered.contains("errno: 104") || lowered.contains("connection reset by peer") {
            return FetchError(.transport, url: url, progress.headReceived
                ? "connection reset by peer after \(Numbers.count(progress.bytes)) bytes of the body"
                : "connection reset by peer before a response")
        }
        if lowered.contains("lookup") || lowered.contains("resolve") || lowered.contains("nodename") || lowered.contains("name or service") {
            return FetchError(.connectFailed, url: url, "cannot resolve host")
        }
        if lowered.contains("connect") {
            return FetchError(.connectFailed, url: url, "cannot connect: \(firstLine(text))")
        }
        return FetchError(.transport, url: url, firstLine(text))
    }

    /// BoringSSL's reason code (`CERTIFICATE_VERIFY_FAILED`) in words, without its source paths.
    private static func tlsMessage(_ text: String) -> String {
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS handshake failed: the server's certificate is not trusted (https+insecure:// skips the check)"
        }
        if let marker = text.range(of: "OPENSSL_internal:") {
            let reason = text[marker.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            if !reason.isEmpty { return "TLS handshake failed: \(reason.lowercased().replacingOccurrences(of: "_", with: " "))" }
        }
        return "TLS handshake failed"
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).first ?? "")
    }

    /// A size limit as every output says sizes (`512 MB`, 1024-based).
    static func byteCount(_ count: Int) -> String { Numbers.bytes(Double(count)) }
}

/// How far a fetch got, shared between the request task and the timer that may interrupt it.
final class Progress: Sendable {
    private let clock = ContinuousClock()
    private let state: Mutex<(head: Bool, bytes: Int, last: ContinuousClock.Instant)>
    init() { state = Mutex((false, 0, clock.now)) }
    func markHead() {
        let now = clock.now
        state.withLock { $0.head = true; $0.last = now }
    }
    func add(_ count: Int) {
        let now = clock.now
        state.withLock { $0.bytes &+= count; $0.last = now }
    }
    var headReceived: Bool { state.withLock { $0.head } }
    var bytes: Int { state.withLock { $0.bytes } }
    /// Time since the head or the last body bytes arrived.
    var idle: Duration { clock.now - state.withLock { $0.last } }
}

/// Where a response body goes: into memory, or into a file as it arrives (with only its first KiB kept,
/// for the HTML check). Used by one task at a time: the request task, then the caller after it ended.
final class BodySink: @unchecked Sendable {
    private let url: String
    private let file: FileHandle?
    private(set) var bytes: [UInt8] = []
    private(set) var head: [UInt8] = []
    private(set) var count = 0

    init(url: String, file: FileHandle?) {
        self.url = url
        self.file = file
    }

    func reserve(_ capacity: Int) {
        if file == nil { bytes.reserveCapacity(capacity) }
    }

    func append(_ chunk: UnsafeRawBufferPointer) throws(FetchError) {
        if head.count < 1024 { head.append(contentsOf: chunk.prefix(1024 - head.count)) }
        if let file {
            guard let base = chunk.baseAddress else { return }
            var offset = 0
            while offset < chunk.count {
                let written = write(file.fileDescriptor, base + offset, chunk.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw FetchError(.transport, url: url, "cannot write the response to disk: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        } else {
            bytes.append(contentsOf: chunk)
        }
        count &+= chunk.count
    }
}

/// The pprof driver's fetcher: `ProfileFetcher` with pprof's defaults (HTML pages rejected, the
/// 512 MiB body cap), its `FetchError`s turned into the driver's one-line errors.
public struct HTTPProfileFetcher: ProfileFetching {
    public init() {}

    public func fetch(url: String, timeout: Duration, verifyCertificates: Bool) async throws(OneLineError) -> [UInt8] {
        try await fetch(url: url, timeout: timeout, verifyCertificates: verifyCertificates, followRedirectsAnywhere: false)
    }

    public func fetch(url: String, timeout: Duration, verifyCertificates: Bool,
                      followRedirectsAnywhere: Bool) async throws(OneLineError) -> [UInt8] {
        do {
            return try await ProfileFetcher.fetch(url: url, timeout: timeout, verifyCertificates: verifyCertificates,
                                                  redirects: followRedirectsAnywhere ? .anywhere : nil)
        } catch {
            throw OneLineError(error.description)
        }
    }
}
