import Foundation

/// A Go service's net/http/pprof endpoints and how to talk to them: where they are, which headers
/// and TLS settings to use, and the time, size and retry budgets of every request.
///
/// Headers are kept in memory only; they never reach a manifest (they usually carry credentials).
public struct CaptureTarget: Sendable {
    /// The pprof prefix, always ending in `/`, such as `http://127.0.0.1:6060/debug/pprof/`.
    public var baseURL: String
    /// Extra request headers, such as `Authorization`.
    public var headers: [Header]
    /// false accepts any https certificate.
    public var verifyCertificates: Bool
    /// A PEM file of certificate authorities trusted instead of the system's.
    public var caFile: String?
    /// Limit for setting up a connection.
    public var connectTimeout: Duration
    /// Limit for one whole request, body included. A CPU profile gets its duration on top.
    public var timeout: Duration
    /// How many times a transient failure (refused or reset connection, 5xx) is retried.
    public var retries: Int
    /// First wait before a retry; each further retry waits twice as long (capped at `maxBackoff`).
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Largest response body accepted.
    public var maxBytes: Int
    /// Above this many goroutines `goroutine?debug=2` (which stops the world for the whole dump) is
    /// skipped and `goroutine?debug=1` (grouped, taken concurrently since Go 1.19) is taken instead.
    public var goroutineCeiling: Int

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public static let defaultConnectTimeout: Duration = .seconds(5)
    public static let defaultTimeout: Duration = .seconds(30)
    public static let defaultRetries = 2
    public static let defaultGoroutineCeiling = 50_000
    /// The path net/http/pprof registers itself under.
    public static let standardPrefix = "/debug/pprof/"

    /// - Parameters:
    ///   - url: `http(s)://host:port` (the standard `/debug/pprof/` is appended) or a URL with a path,
    ///     which is used as the pprof prefix as it is.
    ///   - prefix: overrides the path of `url` (`/admin/debug/pprof`, with or without the final `/`).
    public init(
        url: String, prefix: String? = nil, headers: [Header] = [], verifyCertificates: Bool = true,
        caFile: String? = nil, connectTimeout: Duration = defaultConnectTimeout, timeout: Duration = defaultTimeout,
        retries: Int = defaultRetries, initialBackoff: Duration = .milliseconds(250), maxBackoff: Duration = .seconds(8),
        maxBytes: Int = ProfileFetcher.defaultMaxBytes, goroutineCeiling: Int = defaultGoroutineCeiling
    ) throws(CaptureError) {
        self.baseURL = try Self.resolveBaseURL(url, prefix: prefix)
        do throws(FetchError) {
            _ = try URLOrigin.parse(baseURL)
        } catch {
            throw CaptureError(.invalidTarget, url: url, error.message)
        }
        for header in headers {
            guard Self.isValidHeaderName(header.name), !header.value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw CaptureError(.invalidTarget, url: url, "invalid header '\(header.name)' (expected 'Name: value')")
            }
        }
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw CaptureError(.invalidTarget, url: url, "CA file \(caFile) cannot be read")
            }
        }
        guard retries >= 0, retries <= 20 else {
            throw CaptureError(.invalidTarget, url: url, "retries must be between 0 and 20, not \(retries)")
        }
        guard maxBytes > 0 else { throw CaptureError(.invalidTarget, url: url, "the size cap must be positive") }
        guard goroutineCeiling >= 0 else {
            throw CaptureError(.invalidTarget, url: url, "the goroutine ceiling must not be negative")
        }
        guard connectTimeout > .zero, timeout > .zero else {
            throw CaptureError(.invalidTarget, url: url, "timeouts must be positive")
        }
        self.headers = headers
        self.verifyCertificates = verifyCertificates
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.retries = retries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxBytes = maxBytes
        self.goroutineCeiling = goroutineCeiling
    }

    /// The URL of one endpoint under the prefix, such as `heap?gc=1`.
    public func url(_ endpoint: String, query: String = "") -> String {
        baseURL + endpoint + (query.isEmpty ? "" : "?" + query)
    }

    /// `scheme://host:port` of the base URL: one Go process, whatever the prefix.
    public var origin: String {
        guard let schemeEnd = baseURL.range(of: "://") else { return baseURL }
        let rest = baseURL[schemeEnd.upperBound...]
        return String(baseURL[..<(rest.firstIndex(of: "/") ?? rest.endIndex)])
    }

    /// `http://h:p` → `http://h:p/debug/pprof/`; a URL with a path keeps it; `prefix` replaces it.
    static func resolveBaseURL(_ url: String, prefix: String?) throws(CaptureError) -> String {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = trimmed.range(of: "://"),
              ["http", "https"].contains(trimmed[..<schemeEnd.lowerBound].lowercased())
        else {
            throw CaptureError(.invalidTarget, url: url, "not an http:// or https:// URL")
        }
        let afterScheme = trimmed[schemeEnd.upperBound...]
        guard !afterScheme.contains("?"), !afterScheme.contains("#") else {
            throw CaptureError(.invalidTarget, url: url, "give the service's base URL without a query, such as http://host:6060")
        }
        let hostEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let authority = afterScheme[..<hostEnd]
        guard !authority.isEmpty else {
            throw CaptureError(.invalidTarget, url: url, "no host in URL")
        }
        let origin = String(trimmed[..<hostEnd])
        var path = prefix ?? String(afterScheme[hostEnd...])
        if path.isEmpty || path == "/" { path = prefix == nil ? standardPrefix : "/" }
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return origin + path
    }

    /// RFC 9110 token characters.
    static func isValidHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}

extension CaptureTarget {
    /// What one request produced, after retries.
    struct Response<Body: Sendable>: Sendable {
        var result: Result<Body, FetchError>
        var attempts: Int
    }

    /// GETs `endpoint?query` into memory (for small bodies: the index page, cmdline).
    func get(_ endpoint: String, query: String = "", extraTime: Duration = .zero, acceptHTML: Bool = false) async
        -> Response<[UInt8]>
    {
        await attempting(url(endpoint, query: query)) { address throws(FetchError) in
            try await ProfileFetcher.fetch(
                url: address, timeout: timeout + extraTime, maxBytes: maxBytes,
                headers: headers.map { ($0.name, $0.value) }, rejectHTML: !acceptHTML,
                verifyCertificates: verifyCertificates, connectTimeout: connectTimeout, caFile: caFile)
        }
    }

    /// GETs `endpoint?query` straight into `file` (created or truncated for each attempt), so that memory
    /// stays small whatever the size cap. Returns the body's size; on failure the file may hold a part.
    func download(_ endpoint: String, query: String = "", extraTime: Duration = .zero, to file: URL) async -> Response<Int> {
        await attempting(url(endpoint, query: query)) { address throws(FetchError) in
            guard FileManager.default.createFile(atPath: file.path, contents: nil),
                  let handle = try? FileHandle(forWritingTo: file)
            else {
                throw FetchError(.transport, url: address, "cannot create \(file.path)")
            }
            defer { try? handle.close() }
            return try await ProfileFetcher.download(
                url: address, to: handle, timeout: timeout + extraTime, maxBytes: maxBytes,
                headers: headers.map { ($0.name, $0.value) }, verifyCertificates: verifyCertificates,
                connectTimeout: connectTimeout, caFile: caFile)
        }
    }

    /// Runs `operation`, retrying transient failures with exponential backoff. Cancellation stops the
    /// waiting between attempts; the result then is the last failure.
    private func attempting<Body: Sendable>(
        _ address: String, _ operation: (String) async throws(FetchError) -> Body
    ) async -> Response<Body> {
        var attempt = 0
        var backoff = initialBackoff
        while true {
            attempt += 1
            do {
                return Response(result: .success(try await operation(address)), attempts: attempt)
            } catch {
                guard error.isTransient, attempt <= retries, !Task.isCancelled else {
                    return Response(result: .failure(Self.withCaptureFlags(error)), attempts: attempt)
                }
                do { try await Task.sleep(for: backoff) } catch {
                    return Response(result: .failure(FetchError(.cancelled, url: address, "interrupted")), attempts: attempt)
                }
                backoff = min(backoff * 2, maxBackoff)
            }
        }
    }

    /// The fetcher's hints name `go tool pprof`'s flags; a capture's are `--timeout` and `--insecure`.
    static func withCaptureFlags(_ error: FetchError) -> FetchError {
        var error = error
        error.message = error.message.replacingOccurrences(of: "(-timeout ", with: "(--timeout ")
            .replacingOccurrences(of: "; -timeout ", with: "; --timeout ")
            .replacingOccurrences(of: "(https+insecure:// skips the check)", with: "(--insecure skips the check; --ca-file FILE trusts a private CA)")
        return error
    }
}
