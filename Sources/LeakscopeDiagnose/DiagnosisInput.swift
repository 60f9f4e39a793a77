import LeakscopeGoroutines
import LeakscopeProfile
import LeakscopeCapture
import LeakscopeGoroutineAnalysis
import LeakscopeProfileAnalysis
import LeakscopeGodebug
import LeakscopeLifecycle
import LeakscopeTrace
import LeakscopeBytes
import LeakscopeFindings
import LeakscopeFormat

/// Everything `diagnose` was given, sorted into kinds, each kind's snapshots oldest first.
public struct DiagnosisInput: Sendable {
    public var goroutineDumps: [TimedGoroutineDump] = []
    public var goroutineLeakProfiles: [GoroutineDump] = []
    /// goroutineleak profiles read, including empty ones (no leaks found is evidence too).
    public var leakProfilesRead = 0
    public var heapProfiles: [TimedProfile] = []
    public var allocsProfiles: [TimedProfile] = []
    public var cpuProfiles: [TimedProfile] = []
    public var mutexProfiles: [TimedProfile] = []
    public var blockProfiles: [TimedProfile] = []
    public var threadcreateProfiles: [TimedProfile] = []
    /// Execution traces, already reduced to goroutine lifecycles per creation site (a trace is read
    /// streaming when it is added; only its report is kept).
    public var traces: [(name: String, report: LifecycleReport)] = []
    /// GODEBUG logs as read (name, bytes); parsed by the runtime-log analysis.
    public var runtimeLogs: [(name: String, bytes: [UInt8])] = []
    /// What was read, in argument order, for the report's header.
    public var inputs: [Item] = []
    /// Where the data came from (a URL or capture directory), when known.
    public var target: String?
    /// Lines about what could not be used (e.g. "goroutineleak: not available (Go < 1.26)").
    public var notes: [String] = []
    /// The service's source, linted (`diagnose --source DIR`): its lint findings, which runtime
    /// findings in the same functions take up as evidence. Nil when no source was given.
    public var source: (name: String, files: Int, findings: [StaticEvidence])?

    public init() {}

    /// How many of a dump's parse warnings become notes (as `goroutines` prints them); the rest
    /// are counted in one more.
    static let warningNotes = 3

    /// A dump read with warnings (cut mid-line, a goroutine closed early) says so in the report:
    /// what it shows may be missing goroutines.
    mutating func noteWarnings(of dump: GoroutineDump, name: String) {
        notes += dump.warnings.prefix(Self.warningNotes).map { "\(name): \($0)" }
        let more = dump.warningCount - min(dump.warnings.count, Self.warningNotes)
        if more > 0 { notes.append("\(name): \(Numbers.count(more)) more parse warnings") }
    }

    /// One input file or fetched body.
    public struct Item: Sendable, Hashable, Codable {
        public var name: String
        public var kind: DiagnosisInputKind
        /// Seconds since the Unix epoch, when known.
        public var time: Double?
        public var bytes: Int
    }

    /// Why an input could not be used: which input and what is wrong with it, in one line.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var name: String
        public var message: String
        public var description: String { "\(name): \(message)" }
    }

    /// Adds one input. `kind` overrides detection (a capture manifest knows what it fetched);
    /// `time` is the capture time when the content carries none.
    public mutating func add(name: String, bytes: [UInt8], kind knownKind: DiagnosisInputKind? = nil, time: Double? = nil,
                             runtimeLogSniffer: ([UInt8]) -> Bool = { RuntimeLog.looksLikeRuntimeLog($0) }) throws(Failure) {
        var kind = knownKind
        var profile: Profile? = nil
        if kind == nil {
            guard let detected = InputDetection.detect(bytes, name: name, runtimeLogSniffer: runtimeLogSniffer) else {
                throw Failure(name: name, message: Self.unrecognized(bytes))
            }
            kind = detected.kind
            profile = detected.profile
        }
        guard let kind else { throw Failure(name: name, message: Self.unrecognized(bytes)) }
        var itemTime = time
        switch kind {
        case .goroutineDump, .goroutineProfile, .goroutineLeak:
            var dump: GoroutineDump
            do {
                if let profile {
                    // A proto goroutine profile that detection already decoded.
                    dump = try GoroutineDump(profile: profile)
                    dump.byteCount = bytes.count
                } else {
                    dump = try GoroutineDump.parse(bytes)
                }
            } catch {
                // A leak profile that found nothing says so: "goroutineleak profile: total 0".
                if kind == .goroutineLeak, let line = InputDetection.firstLine(bytes),
                   line.elementsEqual("goroutineleak profile: total 0".utf8) {
                    leakProfilesRead += 1
                    inputs.append(Item(name: name, kind: kind, time: time, bytes: bytes.count))
                    return
                }
                throw Failure(name: name, message: error.description)
            }
            noteWarnings(of: dump, name: name)
            if kind == .goroutineLeak {
                leakProfilesRead += 1
                goroutineLeakProfiles.append(dump)
            } else {
                goroutineDumps.append(TimedGoroutineDump(name: name, dump: dump, time: time))
            }
        case .trace:
            do throws(TraceError) {
                try addTrace(name: name, reader: TraceReader(bytes: bytes))
            } catch {
                throw Failure(name: name, message: error.description)
            }
        case .runtimeLog:
            runtimeLogs.append((name, bytes))
            if InputDetection.looksLikeTraceback(bytes), let dump = try? GoroutineDump.parse(bytes), !dump.goroutines.isEmpty {
                // A panic or SIGQUIT traceback at the end of a service's log is a goroutine dump too.
                goroutineDumps.append(TimedGoroutineDump(name: name, dump: dump, time: time))
            }
        case .heap, .allocs, .cpu, .mutex, .block, .threadcreate:
            let decoded: Profile
            if let profile {
                decoded = profile
            } else {
                do {
                    decoded = try Profile.parse(bytes)
                } catch {
                    throw Failure(name: name, message: error.description)
                }
            }
            let timed = TimedProfile(name: name, profile: decoded, time: decoded.timeNanos > 0 ? nil : time)
            itemTime = timed.time
            switch kind {
            case .heap: heapProfiles.append(timed)
            case .allocs: allocsProfiles.append(timed)
            case .cpu: cpuProfiles.append(timed)
            case .mutex: mutexProfiles.append(timed)
            case .block: blockProfiles.append(timed)
            default: threadcreateProfiles.append(timed)
            }
        }
        inputs.append(Item(name: name, kind: kind, time: itemTime, bytes: bytes.count))
    }

    /// Adds an execution trace read from `path` one generation at a time (a capture set's trace can
    /// be large; its bytes are never all in memory).
    public mutating func addTrace(name: String, path: String, time: Double? = nil, bytes: Int) throws(Failure) {
        do throws(TraceError) {
            try addTrace(name: name, reader: TraceReader(path: path))
        } catch {
            throw Failure(name: name, message: error.description)
        }
        inputs.append(Item(name: name, kind: .trace, time: time, bytes: bytes))
    }

    private mutating func addTrace(name: String, reader: TraceReader) throws(TraceError) {
        reader.maxGenerationBytes = min(reader.maxGenerationBytes, InputLimits.current.maxInputBytes)
        traces.append((name, try LifecycleAnalysis.analyze(reader, source: name)))
    }

    /// Orders each kind's snapshots by time when every one of them has a time; otherwise
    /// keeps the order they were added in. Equal times keep their order.
    public mutating func orderByTime() {
        func ordered<T>(_ items: [T], _ time: (T) -> Double?) -> [T] {
            guard items.allSatisfy({ time($0) != nil }) else { return items }
            return items.enumerated().sorted { (time($0.element)!, $0.offset) < (time($1.element)!, $1.offset) }.map(\.element)
        }
        goroutineDumps = ordered(goroutineDumps, \.time)
        heapProfiles = ordered(heapProfiles, \.time)
        allocsProfiles = ordered(allocsProfiles, \.time)
        cpuProfiles = ordered(cpuProfiles, \.time)
        mutexProfiles = ordered(mutexProfiles, \.time)
        blockProfiles = ordered(blockProfiles, \.time)
        threadcreateProfiles = ordered(threadcreateProfiles, \.time)
    }

    /// "not a profile, goroutine dump or GODEBUG log" with a hint of what it looks like.
    static func unrecognized(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "empty file" }
        // The same test the profile decoder uses for "got an HTML page".
        if Profile.looksLikeHTML(bytes) { return "an HTML page, not a profile, goroutine dump or GODEBUG log" }
        if let (number, line) = InputDetection.numberedFirstLine(bytes) {
            let printable = line.prefix(60).allSatisfy { $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 }
            if printable {
                return "not a profile, goroutine dump or GODEBUG log (line \(number): \"\(String(decoding: line.prefix(60), as: UTF8.self))\")"
            }
        }
        // Binary: what the profile decoder says about it names the byte where it broke (a cut
        // download, a gzip of something else). Only on this failure path is it decoded again.
        let profile: Profile
        do {
            profile = try Profile.parse(bytes)
        } catch {
            return "not a profile, goroutine dump or GODEBUG log (as profile.proto: \(error.description))"
        }
        let types = profile.sampleTypes.map { "\($0.type)/\($0.unit)" }.joined(separator: ", ")
        return "a profile of a kind diagnose does not use (sample types: \(types.isEmpty ? "none" : types))"
    }
}
