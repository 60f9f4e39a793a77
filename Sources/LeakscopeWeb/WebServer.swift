import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// What a server serves: answers a GET for a path and query. `ProfileSite` serves one set of
/// profiles (`pprof -http`); `CaptureSite` serves directories of captures (`serve`).
protocol WebSite: Sendable {
    func respond(path: String, query: WebQuery) async throws(WebError) -> WebReply
}

/// Where to listen, parsed from pprof's `-http` value: `HOST:PORT`, `:PORT` (localhost),
/// `HOST:` (any free port), `[::1]:PORT`.
public struct ListenAddress: Sendable, Equatable {
    /// The host as given ("localhost" when empty), for the printed URL.
    public var host: String
    public var port: Int

    public init(parsing text: String) throws(WebSetupError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw WebSetupError("could not split http address: address \(text): missing port in address")
        }
        var host = String(text[..<colon])
        let port = String(text[text.index(after: colon)...])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "localhost" : host
        if port.isEmpty {
            self.port = 0
        } else if let number = Int(port), (0...65535).contains(number) {
            self.port = number
        } else {
            throw WebSetupError("invalid port number: \(port)")
        }
    }

    /// The address to bind: loopback names become 127.0.0.1 so "localhost" never means IPv6 only.
    var bindHost: String { host == "localhost" ? "127.0.0.1" : host }

    /// Whether only this machine can connect: then no token is needed.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `host:port` for a URL (IPv6 in brackets).
    func authority(port: Int) -> String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A server that could not start: one line.
public struct WebSetupError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The Hummingbird application behind both commands: binds, checks the token when not on
/// loopback, bounds requests, turns `WebError`s into pages, keeps a few recent pages.
struct WebServer: Sendable {
    let site: any WebSite
    let address: ListenAddress
    /// Required from clients when set (not on loopback): header, cookie, or `?token=` once.
    let token: String?

    /// Longest request target accepted (path and query).
    static let maxTargetBytes = 16 << 10
    static let tokenCookie = "leakscope_token"
    static let tokenHeader = HTTPField.Name("X-Leakscope-Token")!

    init(site: any WebSite, address: ListenAddress) {
        self.site = site
        self.address = address
        token = address.isLoopback ? nil : Self.makeToken()
    }

    /// Runs until SIGINT/SIGTERM. `announce` receives the URL to open once the port is bound.
    func run(announce: @escaping @Sendable (String) -> Void) async throws {
        var logger = Logger(label: "leakscope-web")
        logger.logLevel = .error
        let server = self
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await server.handle(request)
        }
        let host = address.bindHost
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: address.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? server.address.port
                var url = "http://" + server.address.authority(port: port) + "/"
                if let token = server.token { url += "?token=" + token }
                announce(url)
            },
            logger: logger)
        try await app.runService()
    }

    func handle(_ request: Request) async -> Response {
        let path = request.uri.path
        let rawQuery = request.uri.query ?? ""
        if path.utf8.count + rawQuery.utf8.count > Self.maxTargetBytes {
            return Self.errorResponse(WebError(.uriTooLong, "request target longer than \(Self.maxTargetBytes) bytes"))
        }
        guard request.method == .get || request.method == .head else {
            return Self.errorResponse(WebError(.methodNotAllowed, "only GET is served"))
        }
        if path == "/favicon.ico" {
            // No icon: an empty answer, so the browser logs no failed load.
            return Self.response(WebReply(status: .noContent, contentType: "image/x-icon", body: []))
        }
        var query = WebQuery(rawQuery)
        if let token {
            if let given = query["token"] {
                guard Self.same(given, token) else { return Self.errorResponse(WebError(.forbidden, "wrong token")) }
                // The one-time URL: remember the token in a cookie and drop it from the address.
                query = query.setting("token", nil)
                var headers = HTTPFields()
                headers[.location] = path + query.string
                headers[.setCookie] = "\(Self.tokenCookie)=\(token); Path=/; HttpOnly; SameSite=Strict"
                return Response(status: .seeOther, headers: headers)
            }
            guard authorized(request, token: token) else {
                return Self.errorResponse(WebError(.forbidden, "this server needs its token: open the URL it printed, or send the X-Leakscope-Token header"))
            }
        }
        do {
            let reply = try await site.respond(path: path, query: query)
            return Self.response(reply)
        } catch {
            return Self.errorResponse(error)
        }
    }

    private func authorized(_ request: Request, token: String) -> Bool {
        if let header = request.headers[Self.tokenHeader], Self.same(header, token) { return true }
        if let auth = request.headers[.authorization], auth.hasPrefix("Bearer "), Self.same(String(auth.dropFirst(7)), token) {
            return true
        }
        for cookie in request.headers[values: .cookie] {
            for part in cookie.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == Self.tokenCookie, Self.same(String(pair[1]), token) { return true }
            }
        }
        return false
    }

    /// Compares without stopping at the first difference.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined()
    }

    static func response(_ reply: WebReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        for (name, value) in reply.headers { headers[name] = value }
        return Response(status: reply.status, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    /// A refusal as a small page: the status and the one-line message, escaped.
    static func errorResponse(_ error: WebError) -> Response {
        let body = PageShell.page(title: "leakscope: \(error.status.code)", header: "",
                                  body: "<div class=\"error\" id=\"error\">\(PageShell.escape(error.message))</div>\n")
        return response(WebReply(status: error.status, body: body))
    }

    /// A redirect to `location` (pprof's `ui/` → `ui/flamegraph`).
    static func redirect(_ location: String) -> WebReply {
        WebReply(status: .found, contentType: "text/plain; charset=utf-8", body: [], headers: [(.location, location)])
    }
}
