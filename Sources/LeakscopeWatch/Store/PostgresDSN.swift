import Foundation

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]` URL, checked before anything connects.
///
/// `sslmode` follows libpq: `disable` (plain TCP), `prefer` (the default: TLS when the server offers
/// it, certificate not checked), `require` (TLS, certificate not checked), `verify-full` (TLS, the
/// certificate checked against the system roots or `sslrootcert=PATH`, and the host name).
/// The password may also come from `PGPASSWORD`. Percent-escapes are decoded in every part.
public struct PostgresDSN: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require, verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    public var rootCertificate: String?

    /// `host:port/database`: what error messages and logs show (never the password).
    public var display: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" }

    /// Parses `text`; the error says what is wrong with it in one line, without echoing the password.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) {
        func bad(_ message: String) -> ConfigError { ConfigError(file: "config", line: nil, field: "store", message) }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
              let components = URLComponents(string: text) else {
            throw bad("not a PostgreSQL URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else {
            throw bad("the PostgreSQL URL has no host; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let user = components.user, !user.isEmpty else {
            throw bad("the PostgreSQL URL has no user; expected postgres://USER:PASSWORD@\(host)/DATABASE")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw bad("the PostgreSQL URL names no database; expected postgres://USER:PASSWORD@\(host)/DATABASE")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw bad("the PostgreSQL URL's port \(port) is not between 1 and 65535")
        }
        self.user = components.user?.removingPercentEncoding ?? user
        self.password = components.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        tls = .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw bad("sslmode must be disable, prefer, require or verify-full, not '\(item.value ?? "")'")
                }
                tls = mode
            case "sslrootcert":
                rootCertificate = item.value
            default:
                throw bad("unknown PostgreSQL URL parameter '\(item.name)' (known: sslmode, sslrootcert)")
            }
        }
    }
}
