import LeakscopeGodebug
import LeakscopeProfile

/// What a file given to `leakscope diagnose` holds, decided from its content (file names only
/// break the one tie the content cannot: Go's mutex and block profiles share a format).
public enum DiagnosisInputKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A goroutine traceback dump: `goroutine?debug=2`, `runtime.Stack`, a panic or SIGQUIT in a log.
    case goroutineDump = "goroutine-dump"
    /// A goroutine profile: `goroutine?debug=1` text or `goroutine` proto.
    case goroutineProfile = "goroutine-profile"
    /// A `goroutineleak` profile (Go ≥ 1.26), any format.
    case goroutineLeak = "goroutineleak"
    /// A heap profile, proto or text, whose default is in-use memory.
    case heap
    /// An allocs profile: the heap format defaulting to `alloc_space` (for text, a file named for allocs).
    case allocs
    /// A CPU profile.
    case cpu
    /// A mutex contention profile (where the waited-for lock was released).
    case mutex
    /// A block profile (where goroutines waited).
    case block
    /// A threadcreate profile.
    case threadcreate
    /// GODEBUG gctrace / schedtrace / scavtrace output, usually mixed with a service's log.
    case runtimeLog = "runtime-log"
    /// A Go execution trace (`/debug/pprof/trace`, `runtime/trace`, `go test -trace`; Go 1.22+ format).
    case trace = "execution-trace"
}

/// Content sniffing for diagnose inputs.
public enum InputDetection {
    /// Whether `bytes` start with an execution trace's header, `go 1.NN trace` and NUL padding.
    public static func looksLikeExecutionTrace(_ bytes: [UInt8]) -> Bool {
        let prefix = Array("go 1.".utf8)
        guard bytes.count >= 16, bytes.starts(with: prefix) else { return false }
        let rest = bytes[prefix.count..<16]
        guard let space = rest.firstIndex(of: UInt8(ascii: " ")), space > prefix.count,
              rest[prefix.count..<space].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        return bytes[space...].starts(with: Array(" trace".utf8))
    }

    /// How much of a text input is looked at to find its first meaningful line.
    static let sniffBytes = 64 << 10

    /// The kind of `bytes`, or nil when it is none we know. `name` (a file name or endpoint)
    /// only separates mutex from block profiles when the stacks do not.
    /// A decoded profile is returned with its kind so that it is not decoded twice.
    public static func detect(_ bytes: [UInt8], name: String = "",
                              runtimeLogSniffer: ([UInt8]) -> Bool = { RuntimeLog.looksLikeRuntimeLog($0) }) -> Detected? {
        if bytes.isEmpty { return nil }
        if looksLikeExecutionTrace(bytes) { return Detected(kind: .trace, profile: nil) }
        if let textKind = textKind(bytes, name: name) {
            return Detected(kind: textKind, profile: nil)
        }
        if runtimeLogSniffer(bytes) { return Detected(kind: .runtimeLog, profile: nil) }
        if looksLikeTraceback(bytes) {
            // goroutineleak?debug=2 is a full traceback with the leaked ones marked; the goroutine
            // that wrote it is in it, inside the leak profile's writer.
            let leak = contains(bytes.prefix(sniffBytes), Array("runtime/pprof.writeGoroutineLeak(".utf8))
            return Detected(kind: leak ? .goroutineLeak : .goroutineDump, profile: nil)
        }
        // Binary (gzip or raw proto): decode and look at the sample types.
        guard let profile = try? Profile.parse(bytes) else { return nil }
        guard let kind = profileKind(profile, name: name) else { return nil }
        return Detected(kind: kind, profile: profile)
    }

    /// What `detect` found.
    public struct Detected: Sendable {
        /// The kind of input.
        public var kind: DiagnosisInputKind
        /// The decoded profile when detection had to decode it.
        public var profile: Profile?
    }

    /// The kind of a decoded profile from its sample types.
    static func profileKind(_ profile: Profile, name: String = "") -> DiagnosisInputKind? {
        let types = profile.sampleTypes.map(\.type)
        guard let first = types.first else { return nil }
        switch first {
        case "goroutine": return .goroutineProfile
        case "goroutineleak": return .goroutineLeak
        case "threadcreate": return .threadcreate
        default: break
        }
        if types.contains("cpu") || (profile.periodType?.type == "cpu") { return .cpu }
        if types.contains("inuse_space") || types.contains("alloc_space") {
            return profile.defaultSampleType == "alloc_space" ? .allocs : .heap
        }
        if types.contains("contentions") || types.contains("delay") {
            return contentionKind(profile, name: name)
        }
        return nil
    }

    /// Mutex profiles record the Unlock that ended a wait; block profiles record where the
    /// waiter blocked. Both print as `--- contention:` text and share sample types.
    static func contentionKind(_ profile: Profile, name: String) -> DiagnosisInputKind {
        var unlocks = 0, waits = 0
        for sample in profile.samples.prefix(2_000) {
            guard let leafIndex = sample.locations.first, profile.locations.indices.contains(leafIndex) else { continue }
            for line in profile.locations[leafIndex].lines {
                guard let f = line.function, profile.functions.indices.contains(f) else { continue }
                let function = profile.functions[f].name
                if function.hasSuffix("Unlock") || function == "runtime.unlock"
                    || function.hasPrefix("runtime._LostContended") {
                    unlocks += 1
                } else if function.hasSuffix(").Lock") || function.hasSuffix(").RLock") || function.hasPrefix("runtime.chan")
                    || function.hasSuffix(").Wait") || function.hasPrefix("runtime.select") {
                    waits += 1
                }
            }
        }
        if unlocks > waits { return .mutex }
        if waits > unlocks { return .block }
        let lower = name.lowercased()
        if lower.contains("mutex") { return .mutex }
        if lower.contains("block") { return .block }
        // pprof's legacy text names the kind; otherwise an empty contention profile is most often mutex.
        return profile.comments.contains { $0.contains("block") } ? .block : .mutex
    }

    /// Kinds recognisable from the first non-blank line of a text file.
    static func textKind(_ bytes: [UInt8], name: String) -> DiagnosisInputKind? {
        guard let line = firstLine(bytes) else { return nil }
        if line.starts(with: "goroutine profile: total".utf8) { return .goroutineProfile }
        if line.starts(with: "goroutineleak profile: total".utf8) { return .goroutineLeak }
        if line.starts(with: "threadcreate profile: total".utf8) { return .threadcreate }
        if line.starts(with: "heap profile:".utf8) {
            // Go's debug=1 text of `allocs` and `heap` is identical; the name is all we have.
            return name.lowercased().contains("alloc") ? .allocs : .heap
        }
        if line.starts(with: "--- mutex:".utf8) { return .mutex }
        if line.starts(with: "--- contention:".utf8) { return .block }
        return nil
    }

    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// The first line that is not blank, without its line end.
    package static func firstLine(_ bytes: [UInt8]) -> ArraySlice<UInt8>? { numberedFirstLine(bytes)?.text }

    /// The first line that is not blank, trimmed, with its 1-based line number.
    package static func numberedFirstLine(_ bytes: [UInt8]) -> (number: Int, text: ArraySlice<UInt8>)? {
        var start = 0, number = 1
        let limit = min(bytes.count, sniffBytes)
        while start < limit {
            var end = start
            while end < limit, bytes[end] != 0x0A { end += 1 }
            var line = bytes[start..<end]
            while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line = line.dropLast() }
            while let first = line.first, first == 0x20 || first == 0x09 { line = line.dropFirst() }
            if !line.isEmpty { return (number, line) }
            start = end + 1
            number += 1
        }
        return nil
    }

    /// A `goroutine N [state…]:` header at the start of some line in the first 64 KB.
    package static func looksLikeTraceback(_ bytes: [UInt8]) -> Bool {
        let marker = Array("goroutine ".utf8)
        let limit = min(bytes.count, sniffBytes)
        var start = 0
        while start < limit {
            if bytes[start...].starts(with: marker) {
                var i = start + marker.count
                var digits = 0
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1; digits += 1 }
                if digits > 0, i + 1 < bytes.count, bytes[i] == 0x20, bytes[i + 1] == UInt8(ascii: "[") { return true }
            }
            while start < limit, bytes[start] != 0x0A { start += 1 }
            start += 1
        }
        return false
    }
}
