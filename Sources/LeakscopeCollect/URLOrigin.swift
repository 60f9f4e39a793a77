import Foundation

/// The scheme, host and port of an http(s) URL, checked before any network code sees the URL.
///
/// NIO's address parsing traps on a port above 65535, so every URL a fetch is given (and every
/// redirect target) goes through `URLOrigin.parse` first; a bad one is a `FetchError(.invalidURL)`.
struct URLOrigin: Hashable, Sendable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int

    /// Splits `url` (`http://[user@]host[:port][/path…]`, the host possibly `[v6]`) and checks its port.
    static func parse(_ url: String) throws(FetchError) -> URLOrigin {
        guard let schemeEnd = url.range(of: "://") else {
            throw FetchError(.invalidURL, url: url, "not an http:// or https:// URL")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw FetchError(.invalidURL, url: url, "not an http:// or https:// URL")
        }
        let rest = url[schemeEnd.upperBound...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = Substring(authority)
        var portText: Substring? = nil
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw FetchError(.invalidURL, url: url, "invalid URL: unclosed [ in the host")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw FetchError(.invalidURL, url: url, "invalid URL: unexpected text after the host")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        if host.isEmpty { throw FetchError(.invalidURL, url: url, "invalid URL: no host") }
        var port = scheme == "https" ? 443 : 80
        if let portText, !portText.isEmpty {
            guard portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(portText),
                  (1...65535).contains(value)
            else {
                throw FetchError(.invalidURL, url: url, "invalid port \"\(portText.prefix(40))\" (ports are 1 to 65535)")
            }
            port = value
        }
        return URLOrigin(scheme: scheme, host: host.lowercased(), port: port)
    }

    var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost):\(port)"
    }
}

/// Which redirects a fetch follows.
public enum RedirectPolicy: Sendable, Equatable {
    /// Only to the same scheme, host and port as the URL asked for (the default): a server cannot
    /// steer a capture or a watch daemon elsewhere.
    case sameOrigin
    /// To any http(s) URL (`--follow-redirects`, `-follow_redirects` for `pprof`, or
    /// `LEAKSCOPE_REDIRECTS=any`); credentials are not forwarded to another origin.
    case anywhere

    /// The ways to allow other origins, for the message of a refused redirect.
    static let howToAllow = "--follow-redirects or LEAKSCOPE_REDIRECTS=any"

    /// `sameOrigin`, unless the environment variable `LEAKSCOPE_REDIRECTS` is `any`.
    public static var fromEnvironment: RedirectPolicy {
        ProcessInfo.processInfo.environment["LEAKSCOPE_REDIRECTS"]?.lowercased() == "any" ? .anywhere : .sameOrigin
    }
}
