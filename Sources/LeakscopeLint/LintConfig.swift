import LeakscopeFindings

/// The `lint` section of `.leakscope.yaml`: which checks run, which paths are skipped, and
/// per-check options. Everything is optional; an empty config runs every check everywhere.
public struct LintConfig: Sendable, Equatable {
    /// Check IDs or names to run; nil = every check.
    public var enable: [String]?
    /// Check IDs or names not to run (applied after `enable`).
    public var disable: [String] = []
    /// Path globs (relative to the config file's directory) whose files are neither parsed nor
    /// checked: `*` and `?` within one path element, `**` across elements, a bare directory
    /// name or `dir/` for everything under it.
    public var exclude: [String] = []
    /// Options for one check, by check ID.
    public var options: [String: CheckOptions] = [:]
    /// The lowest confidence reported: `high` (the default) leaves out the shapes marked `low`
    /// (see `Confidence`); `low` reports everything.
    public var confidence: Confidence = .high

    /// Per-check options.
    public struct CheckOptions: Sendable, Equatable {
        /// Overrides the check's default severity (and so SARIF level and JSON ranking).
        public var severity: Finding.Severity?
        /// Path globs where only this check stays quiet.
        public var exclude: [String] = []

        public init(severity: Finding.Severity? = nil, exclude: [String] = []) {
            self.severity = severity
            self.exclude = exclude
        }
    }

    public init(enable: [String]? = nil, disable: [String] = [], exclude: [String] = [], options: [String: CheckOptions] = [:],
                confidence: Confidence = .high) {
        self.enable = enable
        self.disable = disable
        self.exclude = exclude
        self.options = options
        self.confidence = confidence
    }

    /// A check key (`LS003` or `lost-cancel`) that names no check.
    public struct UnknownCheck: Error, Sendable, Equatable {
        public var key: String
    }

    /// The checks to run, in ID order, with option overrides applied. `selection` (the
    /// `--checks` flag) replaces `enable` when given.
    public func checks(selection: [Check]? = nil) throws(UnknownCheck) -> [Check] {
        var chosen = selection ?? Checks.all
        if selection == nil, let enable {
            chosen = []
            for key in enable {
                guard let check = Checks.named(key) else { throw UnknownCheck(key: key) }
                if !chosen.contains(check) { chosen.append(check) }
            }
        }
        var dropped = Set<String>()
        for key in disable {
            guard let check = Checks.named(key) else { throw UnknownCheck(key: key) }
            dropped.insert(check.id)
        }
        for key in options.keys where Checks.named(key) == nil { throw UnknownCheck(key: key) }
        return chosen.filter { !dropped.contains($0.id) }.map { check in
            var check = check
            if let severity = option(for: check)?.severity { check.severity = severity }
            return check
        }
    }

    /// Whether the loader should skip `path` (as given on the command line, relative to the
    /// config's directory).
    public func excludes(path: String) -> Bool {
        exclude.contains { Glob.matches($0, path) }
    }

    /// Drops findings below `confidence` and those in paths their check's `exclude` names.
    public func filter(_ findings: [LintFinding]) -> [LintFinding] {
        findings.filter { finding in
            guard finding.confidence >= confidence else { return false }
            guard let globs = option(for: finding.check)?.exclude, !globs.isEmpty else { return true }
            return !globs.contains { Glob.matches($0, finding.file) }
        }
    }

    func option(for check: Check) -> CheckOptions? {
        for (key, value) in options where Checks.named(key)?.id == check.id { return value }
        return nil
    }
}

/// Path globs for `exclude`: `*`, `?`, `**`, and directory prefixes.
public enum Glob {
    /// Whether `pattern` matches `path` or one of its leading directories: `gen` matches
    /// `gen/a.go` (not `x/gen/a.go`; `**/gen` does), `*_gen.go` matches `a_gen.go`.
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = elements(pattern)
        let s = elements(path)
        guard !p.isEmpty else { return false }
        // A pattern matches the path or any of its leading directories.
        for count in stride(from: s.count, through: 1, by: -1) where match(p[...], s[..<count]) { return true }
        return false
    }

    static func elements(_ path: String) -> [Substring] {
        path.split(separator: "/").filter { $0 != "." }
    }

    static func match(_ pattern: ArraySlice<Substring>, _ path: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            for skip in 0...path.count where match(rest, path.dropFirst(skip)) { return true }
            return false
        }
        guard let element = path.first, matchElement(Array(first.utf8)[...], Array(element.utf8)[...]) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// `*` and `?` within one element.
    static func matchElement(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let c = pattern.first else { return text.isEmpty }
        switch c {
        case UInt8(ascii: "*"):
            let rest = pattern.dropFirst()
            for skip in 0...text.count where matchElement(rest, text.dropFirst(skip)) { return true }
            return false
        case UInt8(ascii: "?"):
            return !text.isEmpty && matchElement(pattern.dropFirst(), text.dropFirst())
        default:
            return text.first == c && matchElement(pattern.dropFirst(), text.dropFirst())
        }
    }
}
