#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LeakscopeBytes
import LeakscopePprof
import LeakscopeProfile

/// The distinct frames of one or more profiles, named the way pprof's reports name graph
/// nodes at the chosen granularity, and interned to small integers.
///
/// Frames are keyed by their display name only: at `functions` granularity two locations of
/// the same function are one frame, exactly as pprof aggregates them.
package struct FrameTable {
    /// Display name per frame ID.
    private(set) var names: [String] = []
    /// Source file of the first line that produced each frame ("" if unknown).
    private(set) var files: [String] = []
    /// Line number to show for each frame: the function's start line at coarse
    /// granularities, the sample's line at `lines`/`addresses` (0 if unknown).
    private(set) var lines: [Int64] = []
    private var idByName: [String: Int32] = [:]

    package var count: Int { names.count }

    mutating func intern(name: String, file: String, line: Int64) -> Int32 {
        if let id = idByName[name] { return id }
        let id = Int32(names.count)
        idByName[name] = id
        names.append(name)
        files.append(file)
        lines.append(line)
        return id
    }

    /// Rank of each frame when frames are sorted by name (byte order), so children can be
    /// ordered by comparing integers.
    func nameRanks() -> [Int32] {
        // memcmp on byte copies: the generic UTF8View comparison dominated profiles with many frames.
        let bytes = names.map { ContiguousArray($0.utf8) }
        let order = names.indices.sorted { a, b in
            bytes[a].withUnsafeBufferPointer { x in
                bytes[b].withUnsafeBufferPointer { y in
                    var c: Int32 = 0
                    if let p = x.baseAddress, let q = y.baseAddress { c = memcmp(p, q, min(x.count, y.count)) }
                    return c != 0 ? c < 0 : x.count < y.count
                }
            }
        }
        var rank = [Int32](repeating: 0, count: names.count)
        for (r, id) in order.enumerated() { rank[id] = Int32(r) }
        return rank
    }
}

/// For every location of one profile, the frame IDs it expands to, outermost (caller) first:
/// a location with inlined calls becomes several frames, as in pprof's flame graph.
struct LocationFrames {
    /// `frames[offsets[i] ..< offsets[i + 1]]` are location `i`'s frames.
    private(set) var offsets: [Int]
    private(set) var frames: [Int32]

    init(profile: Profile, options: PprofOptions, table: inout FrameTable) {
        offsets = [0]
        offsets.reserveCapacity(profile.locations.count + 1)
        frames = []
        frames.reserveCapacity(profile.locations.count * 2)
        let namer = FrameNamer(options: options)
        for location in profile.locations {
            let objfile = location.mapping.flatMap { $0 < profile.mappings.count ? profile.mappings[$0].file : nil } ?? ""
            var lines = location.lines[...]
            // -noinlines keeps only the outermost line (the function the code was inlined into).
            if options.noInlines, lines.count > 1 { lines = lines.suffix(1) }
            if lines.isEmpty {
                let name = namer.name(function: nil, line: Line(function: nil), address: location.address, objfile: objfile)
                frames.append(table.intern(name: name, file: "", line: 0))
            } else {
                for line in lines.reversed() {
                    let function = line.function.flatMap { $0 >= 0 && $0 < profile.functions.count ? profile.functions[$0] : nil }
                    let name = namer.name(function: function, line: line, address: location.address, objfile: objfile)
                    let shownLine = namer.keepsLineNumbers ? line.line : (function?.startLine ?? 0)
                    frames.append(table.intern(name: name, file: function?.filename ?? "", line: shownLine))
                }
            }
            offsets.append(frames.count)
        }
    }

    /// Frames of location `index`, outermost first; empty for an out-of-range index.
    @inline(__always)
    func range(of index: Int) -> Range<Int> {
        guard index >= 0, index + 1 < offsets.count else { return 0..<0 }
        return offsets[index]..<offsets[index + 1]
    }
}

/// Builds node names the way pprof's `NodeInfo.PrintableName` does after the profile has been
/// aggregated to a granularity: `[address] [function] [file[:line[:column]]]`.
struct FrameNamer {
    let keepsFunction: Bool
    let keepsFile: Bool
    let keepsLineNumbers: Bool
    let keepsColumns: Bool
    let keepsAddress: Bool

    init(options: PprofOptions) {
        var function = false, file = false, lineNumbers = false, address = false
        var columns = options.showColumns
        switch options.granularity {
        case .functions: function = true
        case .filefunctions: function = true; file = true
        case .files: file = true
        case .lines: function = true; file = true; lineNumbers = true
        case .addresses:
            function = true; file = true; lineNumbers = true; address = true
            // pprof does not aggregate at all at address granularity with inlines on.
            if !options.noInlines { columns = true }
        }
        keepsFunction = function
        keepsFile = file
        keepsLineNumbers = lineNumbers
        keepsColumns = columns && lineNumbers
        keepsAddress = address
    }

    func name(function: Function?, line: Line, address: UInt64, objfile: String) -> String {
        var parts: [String] = []
        if keepsAddress, address != 0 { parts.append(Self.hex16(address)) }
        guard let function else {
            // pprof's nodeInfo for a line without a function: address and object file only.
            parts.append(objfile.isEmpty ? "<unknown>" : "[" + Self.baseName(objfile) + "]")
            return parts.joined(separator: " ")
        }
        let functionName = keepsFunction ? function.name : ""
        let file = keepsFile ? function.filename : ""
        let lineNumber = keepsLineNumbers ? line.line : 0
        if !functionName.isEmpty { parts.append(functionName) }
        if lineNumber != 0 {
            var s = file + ":" + String(lineNumber)
            if keepsColumns, line.column != 0 { s += ":" + String(line.column) }
            parts.append(s)
        } else if !file.isEmpty {
            parts.append(file)
        } else if !functionName.isEmpty {
            // the function name is the whole name
        } else if !objfile.isEmpty {
            parts.append("[" + Self.baseName(objfile) + "]")
        } else {
            parts.append("<unknown>")
        }
        return parts.joined(separator: " ")
    }

    static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        let tail = path[path.index(after: slash)...]
        return tail.isEmpty ? path : String(tail)
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
