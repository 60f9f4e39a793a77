import Foundation
import LeakscopeBytes

/// `DIR/manifest.json` of a capture set: what was fetched from which target, when, into which file,
/// and what failed. The schema is documented in `docs/CAPTURE.md`; `format` versions it.
///
/// Paths in entries are relative to the capture directory. Request headers are never recorded.
public struct CaptureManifest: Codable, Sendable, Equatable {
    /// The only format this version writes and reads.
    public static let currentFormat = "leakscope-capture/1"
    /// The manifest's name inside a capture directory.
    public static let fileName = "manifest.json"

    /// Always `leakscope-capture/1` for this schema.
    public var format: String
    /// The pprof prefix the capture used, such as `http://127.0.0.1:6060/debug/pprof/`.
    public var target: String
    /// Whether the capture finished, was stopped, or is (or was killed while) running.
    public var status: Status
    /// When the first request started.
    public var started: Date
    /// When the capture ended; nil while it runs.
    public var finished: Date?
    /// A lower bound inferred from the endpoints (`≥ go1.26` when goroutineleak exists), or nil:
    /// net/http/pprof has no version endpoint.
    public var goVersion: String?
    /// The target's `os.Args`, from `cmdline` (NUL-separated on the wire); nil if not fetched.
    public var cmdline: [String]?
    /// The options the capture ran with.
    public var plan: Plan
    /// The per-snapshot rounds, in order.
    public var snapshots: [Snapshot]
    /// Profiles taken once per capture: cpu, allocs, threadcreate, cmdline, trace.
    public var once: [Entry]
    /// Every entry whose status is `failed`, with its one-line message (also in the entry itself).
    public var failures: [Failure]

    /// How the capture ended.
    public enum Status: String, Codable, Sendable {
        /// Still running (a manifest is rewritten after every fetch, so a killed capture leaves this).
        case running
        /// Every planned request was made (some may have failed; see `failures`).
        case complete
        /// Stopped early (Ctrl-C); everything listed was fetched before the stop.
        case interrupted
    }

    /// What was asked for.
    public struct Plan: Codable, Sendable, Equatable {
        /// How many snapshots were planned.
        public var snapshots: Int
        /// Seconds from one snapshot's start to the next one's.
        public var intervalSeconds: Double
        /// 0 means no CPU profile.
        public var cpuSeconds: Int
        /// Above this many goroutines, `goroutine?debug=1` is fetched instead of `debug=2`.
        public var goroutineCeiling: Int
        /// The largest body accepted per request.
        public var maxBytes: Int
        /// Length of the execution trace in seconds; absent (nil) when none was planned.
        public var traceSeconds: Int?

        /// A plan from the capture's options.
        public init(snapshots: Int, intervalSeconds: Double, cpuSeconds: Int, goroutineCeiling: Int, maxBytes: Int,
                    traceSeconds: Int? = nil) {
            self.snapshots = snapshots
            self.intervalSeconds = intervalSeconds
            self.cpuSeconds = cpuSeconds
            self.goroutineCeiling = goroutineCeiling
            self.maxBytes = maxBytes
            self.traceSeconds = traceSeconds
        }
    }

    /// One round of per-snapshot profiles.
    public struct Snapshot: Codable, Sendable, Equatable {
        /// 0-based; the files are under `snap-NN/`.
        public var index: Int
        /// When the snapshot's first request (the index page) started.
        public var time: Date
        /// Goroutines according to the index page, nil if the page could not be read.
        public var goroutineCount: Int?
        /// The index page's counts table (goroutine, heap, threadcreate, …, goroutineleak when present).
        public var profileCounts: [String: Int]?
        /// The snapshot's requests, in the order they were made.
        public var entries: [Entry]

        /// The entry of `kind`, if one was recorded.
        public func entry(_ kind: Entry.Kind) -> Entry? { entries.first { $0.kind == kind } }

        /// A snapshot record as the capture writes it.
        public init(index: Int, time: Date, goroutineCount: Int? = nil, profileCounts: [String: Int]? = nil,
                    entries: [Entry]) {
            self.index = index
            self.time = time
            self.goroutineCount = goroutineCount
            self.profileCounts = profileCounts
            self.entries = entries
        }
    }

    /// One request and its outcome.
    public struct Entry: Codable, Sendable, Equatable {
        /// Which endpoint and form was requested. Raw values are the manifest's spelling.
        public enum Kind: String, Codable, Sendable, CaseIterable {
            /// The `/debug/pprof/` page (HTML); its counts are in the snapshot.
            case index
            /// `goroutine?debug=2`: every goroutine with its full stack (stops the world).
            case goroutineStacks = "goroutine-stacks"
            /// `goroutine?debug=1`: goroutines grouped by identical stack, with counts.
            case goroutineGroups = "goroutine-groups"
            /// `goroutine` (debug=0): the goroutine profile as gzipped profile.proto.
            case goroutine
            /// `goroutineleak?debug=1`: goroutines the GC proved leaked (Go ≥ 1.26; runs a GC).
            case goroutineLeak = "goroutineleak"
            /// `heap?gc=1`: live heap after a forced GC (profile.proto).
            case heap
            /// `mutex`: where contended mutexes were unlocked (profile.proto; empty unless the rate was set).
            case mutex
            /// `block`: where goroutines blocked on sync and channels (profile.proto; empty unless the rate was set).
            case block
            /// `allocs`: all allocations since start (profile.proto).
            case allocs
            /// `threadcreate`: where OS threads were created (profile.proto).
            case threadcreate
            /// `cmdline`: the target's arguments, NUL-separated.
            case cmdline
            /// `profile?seconds=N`: a CPU profile (profile.proto).
            case cpu
            /// `trace?seconds=N`: a Go execution trace (binary, Go 1.22+ format), taken once per capture
            /// while the snapshots run.
            case trace
        }

        /// The outcome of the request.
        public enum Status: String, Codable, Sendable {
            /// The body is in `file`.
            case fetched
            /// The request failed; `error` says why.
            case failed
            /// The target does not have this endpoint (goroutineleak before Go 1.26); not a failure.
            case unavailable
            /// Deliberately not requested; `note` says why (debug=2 above the goroutine ceiling).
            case skipped
        }

        /// What was requested.
        public var kind: Kind
        /// The path below the prefix, such as `goroutine`.
        public var endpoint: String
        /// The query string without `?`, such as `debug=2`; empty when none.
        public var query: String
        /// The outcome.
        public var status: Status
        /// Relative to the capture directory, set when `status` is `fetched`.
        public var file: String?
        /// The size of `file`, set when `status` is `fetched`.
        public var bytes: Int?
        /// When the request started (its first attempt, when retried).
        public var started: Date
        /// Seconds from the first request to the last byte or the failure, retries included.
        public var durationSeconds: Double
        /// Requests made (more than 1 when transient failures were retried).
        public var attempts: Int
        /// The one-line failure message for `failed`.
        public var error: String?
        /// Why an entry is `unavailable` or `skipped`.
        public var note: String?

        /// An entry record as the capture writes it.
        public init(kind: Kind, endpoint: String, query: String, status: Status, file: String? = nil,
                    bytes: Int? = nil, started: Date, durationSeconds: Double, attempts: Int, error: String? = nil,
                    note: String? = nil) {
            self.kind = kind
            self.endpoint = endpoint
            self.query = query
            self.status = status
            self.file = file
            self.bytes = bytes
            self.started = started
            self.durationSeconds = durationSeconds
            self.attempts = attempts
            self.error = error
            self.note = note
        }
    }

    /// A failed entry, for a quick look without walking the snapshots.
    public struct Failure: Codable, Sendable, Equatable {
        /// The snapshot index, or nil for a once-per-capture profile.
        public var snapshot: Int?
        /// What was requested.
        public var kind: Entry.Kind
        /// The path below the prefix.
        public var endpoint: String
        /// The query string without `?`.
        public var query: String
        /// The one-line failure message.
        public var message: String

        /// A failure record; `refreshFailures` derives these from the entries.
        public init(snapshot: Int? = nil, kind: Entry.Kind, endpoint: String, query: String, message: String) {
            self.snapshot = snapshot
            self.kind = kind
            self.endpoint = endpoint
            self.query = query
            self.message = message
        }
    }

    /// All entries: the snapshots' in order, then the once-per-capture ones.
    public var allEntries: [Entry] { snapshots.flatMap(\.entries) + once }

    /// When the request that wrote `file` (relative to the capture directory) started; nil when
    /// no fetched entry lists it.
    public func requestTime(ofFile file: String) -> Date? {
        allEntries.first { $0.status == .fetched && $0.file == file }?.started
    }

    /// The fetched files of `kind` in time order, with the snapshot they belong to (nil for once-per-capture
    /// ones) and the time their request started: e.g. every heap profile, for a growth analysis.
    public func files(_ kind: Entry.Kind, in directory: URL) -> [(snapshot: Int?, time: Date, url: URL)] {
        var list: [(snapshot: Int?, time: Date, url: URL)] = []
        for snapshot in snapshots {
            for entry in snapshot.entries where entry.kind == kind && entry.status == .fetched {
                if let file = entry.file { list.append((snapshot.index, entry.started, directory.appendingPathComponent(file))) }
            }
        }
        for entry in once where entry.kind == kind && entry.status == .fetched {
            if let file = entry.file { list.append((nil, entry.started, directory.appendingPathComponent(file))) }
        }
        return list.sorted { $0.time < $1.time }
    }

    /// The once-per-capture entry of `kind`.
    public func onceEntry(_ kind: Entry.Kind) -> Entry? { once.first { $0.kind == kind } }

    /// Recomputes `failures` from the entries.
    package mutating func refreshFailures() {
        var list: [Failure] = []
        for snapshot in snapshots {
            for entry in snapshot.entries where entry.status == .failed {
                list.append(Failure(snapshot: snapshot.index, kind: entry.kind, endpoint: entry.endpoint,
                                    query: entry.query, message: entry.error ?? "failed"))
            }
        }
        for entry in once where entry.status == .failed {
            list.append(Failure(snapshot: nil, kind: entry.kind, endpoint: entry.endpoint, query: entry.query,
                                message: entry.error ?? "failed"))
        }
        failures = list
    }

    /// A manifest with every field given; a capture starts one with status `running`.
    public init(format: String, target: String, status: Status, started: Date, finished: Date? = nil,
                goVersion: String? = nil, cmdline: [String]? = nil, plan: Plan, snapshots: [Snapshot], once: [Entry],
                failures: [Failure]) {
        self.format = format
        self.target = target
        self.status = status
        self.started = started
        self.finished = finished
        self.goVersion = goVersion
        self.cmdline = cmdline
        self.plan = plan
        self.snapshots = snapshots
        self.once = once
        self.failures = failures
    }
}

// MARK: - Reading and writing

extension CaptureManifest {
    /// Pretty, key-sorted JSON with ISO-8601 UTC times to the millisecond.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(CaptureManifest.timestamp(date))
        }
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// `2026-11-27T14:05:01.123Z`.
    ///
    /// Rounded to the millisecond (the formatter itself truncates, and a parsed `.484` is a hair below it
    /// as a Double, so formatting a loaded time again would lose a millisecond each round trip).
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite, abs(milliseconds) < 1e15 else { return "1970-01-01T00:00:00.000Z" }
        let total = Int64(milliseconds)
        let seconds = total >= 0 ? total / 1000 : (total - 999) / 1000
        let fraction = Int(total - seconds * 1000)
        let whole = Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0) ?? .current)
            .format(Date(timeIntervalSince1970: Double(seconds)))
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Decodes a manifest and checks its format; `source` names it in errors.
    public static func decode(_ data: Data, source: String) throws(CaptureManifestError) -> CaptureManifest {
        // The format first, so that a future version gets a clear message rather than a key error.
        struct Header: Decodable { var format: String? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw CaptureManifestError(path: source, "not a leakscope capture manifest (not a JSON object)")
        }
        guard let format = header.format else {
            throw CaptureManifestError(path: source, "not a leakscope capture manifest (no \"format\")")
        }
        guard format == currentFormat else {
            throw CaptureManifestError(path: source,
                               "unknown capture format '\(format)' (this leakscope reads \(currentFormat))")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO-8601 time: \(text)")
        }
        do {
            return try decoder.decode(CaptureManifest.self, from: data)
        } catch let error as DecodingError {
            throw CaptureManifestError(path: source, "invalid manifest: \(describe(error))")
        } catch {
            throw CaptureManifestError(path: source, "invalid manifest: \(error)")
        }
    }

    /// Reads `directory/manifest.json` and checks that every file it lists is there.
    public static func load(directory: URL) throws(CaptureManifestError) -> CaptureManifest {
        let path = directory.appendingPathComponent(fileName)
        let data: Data
        do throws(OneLineError) {
            // Not through a symbolic link, and a regular file only (a FIFO would hang the read).
            data = Data(try FileBytes.read(path.path, followSymlinks: false))
        } catch {
            if access(path.path, F_OK) != 0 && errno == ENOENT {
                throw CaptureManifestError(path: directory.path,
                                   "no \(fileName) here (not a directory written by leakscope capture?)")
            }
            throw CaptureManifestError(path: path.path, error.message)
        }
        let manifest = try decode(data, source: path.path)
        let entries = manifest.allEntries
        let limit = InputLimits.current.maxManifestEntries
        if entries.count > limit {
            throw CaptureManifestError(path: path.path, "lists \(entries.count) entries, over the limit of \(limit); \(InputLimits.raiseHint("entries"))")
        }
        var seen: Set<String> = []
        for entry in entries {
            guard let file = entry.file else {
                if entry.status == .fetched {
                    throw CaptureManifestError(path: path.path, "entry \(entry.endpoint) is fetched but names no file")
                }
                continue
            }
            let shown = TerminalText.escapeControls(file)
            let components = file.split(separator: "/", omittingEmptySubsequences: true)
            guard !file.hasPrefix("/"), !components.isEmpty, !components.contains(".."), !components.contains(".") else {
                throw CaptureManifestError(path: path.path, "file \(shown) is outside the capture directory")
            }
            guard seen.insert(components.joined(separator: "/")).inserted else {
                throw CaptureManifestError(path: path.path, "lists file \(shown) twice")
            }
            // Every component must be a real directory or, last, a regular file: a symbolic link
            // could lead out of the capture (to /etc/passwd, /dev/zero or a FIFO).
            var current = directory.path
            for (index, component) in components.enumerated() {
                current += "/" + component
                var info = stat()
                guard lstat(current, &info) == 0 else {
                    throw CaptureManifestError(path: directory.path, "\(shown) is listed in \(fileName) but missing")
                }
                let type = info.st_mode & S_IFMT
                let isLast = index == components.count - 1
                if type == S_IFLNK {
                    throw CaptureManifestError(path: directory.path, "\(shown) is a symbolic link; links are not followed inside a capture")
                }
                if isLast ? type != S_IFREG : type != S_IFDIR {
                    throw CaptureManifestError(path: directory.path, "\(shown) is listed in \(fileName) but is not a regular file")
                }
            }
        }
        return manifest
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return keys.isEmpty ? "top level" : String(keys.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\" at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}

/// Why a capture directory's manifest cannot be read: missing, not JSON, an unknown format, or a file
/// it lists is gone or outside the directory. `description` is one line naming the path.
public struct CaptureManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The manifest file or capture directory the message is about.
    public var path: String
    /// What is wrong, in words a person can act on.
    public var message: String

    /// An error about `path`.
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
