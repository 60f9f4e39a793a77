import Foundation
import LeakscopeBytes

/// Where a profile argument points: a local file or a URL, decided as `go tool pprof` decides.
enum ProfileSource: Sendable, Equatable {
    case file(String)
    /// The URL to GET (path and `seconds` already adjusted) and the time to allow: pprof's timeout
    /// plus the 5 s of slack pprof's HTTP client gives on top of it.
    case url(String, timeout: Duration)

    /// pprof's rules: an existing file is a file. Otherwise `scheme://host/...` and `host:port[/path]`
    /// are URLs; an empty path means the CPU profile handler; `-seconds N` sets `?seconds=N`; the
    /// timeout is `-timeout`, else 1.5 × the duration, else 60 s. Anything else is a file path.
    static func locate(_ argument: String, seconds: Int, timeout: Int,
                       fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> ProfileSource {
        if fileExists(argument) { return .file(argument) }
        guard var url = adjustedURL(argument) else { return .file(argument) }

        var duration = 0
        if seconds > 0 {
            url = settingQuery(url, name: "seconds", value: String(seconds))
            duration = seconds
        } else {
            url = settingQuery(url, name: nil, value: "")
            if let existing = queryValue(url, name: "seconds"), let value = Int32(existing), value > 0 {
                duration = Int(value)
            }
        }
        // Clamped so that absurd flag values cannot overflow the arithmetic below.
        duration = min(duration, maxSeconds)
        var limit: Duration = .seconds(min(timeout, maxSeconds))
        if timeout <= 0 { limit = duration > 0 ? .milliseconds(duration * 1500) : .seconds(60) }
        return .url(url, timeout: limit + slack)
    }

    /// A year: longer than any real profile collection.
    static let maxSeconds = 366 * 24 * 3600

    /// pprof's client waits `timeout + 5s` for the response head.
    static let slack: Duration = .seconds(5)

    /// Split of a URL string into its parts; only what we need.
    private struct Parts {
        var scheme: String
        var authority: String
        var path: String
        var query: String?
        var fragment: String?
        var string: String {
            var out = scheme + "://" + authority + path
            if let query { out += "?" + query }
            if let fragment { out += "#" + fragment }
            return out
        }
    }

    /// The URL to fetch, or nil if `argument` is not one.
    static func adjustedURL(_ argument: String) -> String? {
        var text = argument
        var scheme = "http"
        if let separator = text.range(of: "://") {
            scheme = text[..<separator.lowerBound].lowercased()
            guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return nil }
            text = String(text[separator.upperBound...])
            // file:// and other schemes are paths to pprof, which then fails to open them.
            // https+insecure is kept: the fetcher turns it into https without certificate checks.
            guard scheme == "http" || scheme == "https" || scheme == "https+insecure" else { return nil }
        } else {
            // Only host:port[/path] is a URL without a scheme; plain paths are files.
            let authority = text.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            guard authority.contains(":"), !authority.hasPrefix(":") || authority.count > 1 else { return nil }
        }
        var parts = Parts(scheme: scheme, authority: "", path: "", query: nil, fragment: nil)
        if let hash = text.firstIndex(of: "#") {
            parts.fragment = String(text[text.index(after: hash)...])
            text = String(text[..<hash])
        }
        if let question = text.firstIndex(of: "?") {
            parts.query = String(text[text.index(after: question)...])
            text = String(text[..<question])
        }
        if let slash = text.firstIndex(of: "/") {
            parts.authority = String(text[..<slash])
            parts.path = String(text[slash...])
        } else {
            parts.authority = text
        }
        guard !parts.authority.isEmpty, !parts.authority.hasPrefix(":") else { return nil }
        if parts.path.isEmpty || parts.path == "/" { parts.path = "/debug/pprof/profile" }
        return parts.string
    }

    private static func splitQuery(_ url: String) -> (base: String, query: [Substring], fragment: Substring?) {
        var base = Substring(url)
        var fragment: Substring? = nil
        if let hash = base.firstIndex(of: "#") {
            fragment = base[base.index(after: hash)...]
            base = base[..<hash]
        }
        var query: [Substring] = []
        if let question = base.firstIndex(of: "?") {
            query = base[base.index(after: question)...].split(separator: "&")
            base = base[..<question]
        }
        return (String(base), query, fragment)
    }

    static func queryValue(_ url: String, name: String) -> String? {
        for pair in splitQuery(url).query where pair.hasPrefix(name + "=") {
            return String(pair.dropFirst(name.count + 1))
        }
        return nil
    }

    /// `url` with `name=value` replacing any existing `name` parameter (nil: none), parameters
    /// sorted by name as Go's `url.Values.Encode` writes them.
    static func settingQuery(_ url: String, name: String?, value: String) -> String {
        let (base, query, fragment) = splitQuery(url)
        var kept = query.map(String.init)
        if let name {
            kept.removeAll { $0 == name || $0.hasPrefix(name + "=") }
            kept.append(name + "=" + value)
        }
        func key(_ pair: String) -> Substring { pair.prefix { $0 != "=" } }
        // Stable sort by key: values of a repeated key keep their order, as in Go.
        kept = kept.enumerated().sorted { key($0.element) == key($1.element) ? $0.offset < $1.offset
                                                                            : key($0.element) < key($1.element) }
            .map(\.element)
        var out = base
        if !kept.isEmpty { out += "?" + kept.joined(separator: "&") }
        if let fragment { out += "#" + fragment }
        return out
    }
}

/// Recognises executables the way pprof does when it decides whether the first of several
/// arguments is the profiled binary: by trying to open it as an object file (ELF, Mach-O, PE).
enum ExecutableFile {
    static func isExecutable(_ path: String) -> Bool {
        // Regular files only: opening a FIFO to look at it would block.
        guard let (descriptor, _) = try? FileBytes.openRegularFile(path) else { return false }
        defer { close(descriptor) }
        var magic = [UInt8](repeating: 0, count: 4)
        guard magic.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, 4) }) == 4 else { return false }
        if magic == [0x7F, 0x45, 0x4C, 0x46] { return true }  // ELF
        let machO: [[UInt8]] = [[0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF],
                                [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBE]]
        if machO.contains(magic) { return true }
        return magic[0] == 0x4D && magic[1] == 0x5A  // "MZ": PE
    }
}
