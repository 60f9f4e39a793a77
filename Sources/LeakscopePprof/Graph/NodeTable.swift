import LeakscopeProfile

/// Which parts of a source position identify a report node (pprof's `Aggregate`).
struct NodeGranularity: Sendable, Equatable {
    var function = true
    var filename = false
    var lineNumber = false
    var column = false
    var address = false
    var inlines = true

    init(_ granularity: Granularity, noInlines: Bool, showColumns: Bool) {
        inlines = !noInlines
        switch granularity {
        case .functions: break
        case .filefunctions: filename = true
        case .files: function = false; filename = true
        case .lines: filename = true; lineNumber = true
        case .addresses:
            filename = true; lineNumber = true; address = true
            // pprof skips aggregation entirely for addresses with inlines, so columns stay.
            if inlines { column = true; return }
        }
        column = lineNumber && showColumns
    }
}

/// What identifies a node (pprof's `graph.NodeInfo`), with strings interned.
struct NodeInfo: Hashable, Sendable {
    var name: Int32 = 0
    var file: Int32 = 0
    var objfile: Int32 = 0
    var address: UInt64 = 0
    var startLine: Int64 = 0
    var line: Int64 = 0
    var column: Int64 = 0
}

/// Every distinct node of a profile at one granularity, and the nodes of each
/// location (innermost line first). Built once per report, in time linear in the
/// number of locations; samples then only index integer arrays.
struct NodeTable {
    private(set) var infos: [NodeInfo] = []
    private(set) var strings: [String] = [""]
    /// `locationNodes[locationStart[l] ..< locationStart[l + 1]]` are location `l`'s nodes.
    private(set) var locationStart: [Int32] = [0]
    private(set) var locationNodes: [Int32] = []
    /// True if some location has more than one node (inlined frames).
    private(set) var hasInlinedFrames = false
    /// Nodes that appear as an inlined (non-outermost) line somewhere: only these
    /// can have inline incoming edges.
    private(set) var inlinedNodes: [Bool] = []
    private var printableCache: [[UInt8]?] = []

    /// `trimBuildPaths`: graph reports trim file names as pprof's `trimPath` does (`sourcePaths`'
    /// `-trim_path`/`-source_path`, then `/proc/self/cwd/`); `-traces` does not.
    init(profile: Profile, granularity: NodeGranularity, objectNames: Bool = false, trimBuildPaths: Bool = false,
         sourcePaths: SourcePaths = SourcePaths()) {
        var stringIDs: [String: Int32] = ["": 0]
        func intern(_ s: String) -> Int32 {
            if let id = stringIDs[s] { return id }
            let id = Int32(strings.count)
            strings.append(s)
            stringIDs[s] = id
            return id
        }
        var funcName = [Int32](repeating: 0, count: profile.functions.count)
        var funcFile = [Int32](repeating: 0, count: profile.functions.count)
        for (i, f) in profile.functions.enumerated() {
            if granularity.function { funcName[i] = intern(f.name) }
            var filename = f.filename
            if trimBuildPaths { filename = sourcePaths.trim(filename) }
            if granularity.filename && !filename.isEmpty { funcFile[i] = intern(GoPath.clean(filename)) }
        }
        var mappingFile = [Int32](repeating: 0, count: profile.mappings.count)
        for (i, m) in profile.mappings.enumerated() { mappingFile[i] = intern(m.file) }

        var nodeIDs: [NodeInfo: Int32] = [:]
        locationStart.reserveCapacity(profile.locations.count + 1)
        locationNodes.reserveCapacity(profile.locations.count)
        for location in profile.locations {
            let objfile = location.mapping.map { mappingFile[$0] } ?? 0
            let address = granularity.address ? location.address : 0
            var lines = location.lines[...]
            if !granularity.inlines && lines.count > 1 { lines = lines.suffix(1) }
            if lines.isEmpty {
                let id = Self.insert(NodeInfo(objfile: objfile, address: location.address == 0 ? 0 : address),
                                     &nodeIDs, &infos)
                locationNodes.append(id)
            } else {
                if lines.count > 1 { hasInlinedFrames = true }
                for line in lines {
                    var info = NodeInfo()
                    info.address = address
                    if let f = line.function {
                        info.name = funcName[f]
                        info.file = funcFile[f]
                        if granularity.lineNumber { info.line = line.line }
                        if granularity.column { info.column = line.column }
                        if objectNames || info.name == 0 {
                            info.objfile = objfile
                            info.startLine = profile.functions[f].startLine
                        }
                    } else {
                        info.objfile = objfile
                    }
                    locationNodes.append(Self.insert(info, &nodeIDs, &infos))
                }
            }
            locationStart.append(Int32(locationNodes.count))
        }
        printableCache = Array(repeating: nil, count: infos.count)
        inlinedNodes = Array(repeating: false, count: infos.count)
        for l in 0..<(locationStart.count - 1) {
            let start = Int(locationStart[l]), end = Int(locationStart[l + 1])
            for i in start..<max(start, end - 1) { inlinedNodes[Int(locationNodes[i])] = true }
        }
    }

    /// A call tree's table (`-call_tree`): node `i` is `source`'s node `nodeOf[i]` in one calling
    /// context, so one function can be several nodes. It has no locations.
    init(contexts source: NodeTable, nodeOf: [Int32]) {
        strings = source.strings
        infos = nodeOf.map { source.infos[Int($0)] }
        hasInlinedFrames = source.hasInlinedFrames
        inlinedNodes = nodeOf.map { source.inlinedNodes[Int($0)] }
        printableCache = nodeOf.map { source.printableCache[Int($0)] }
    }

    private static func insert(_ info: NodeInfo, _ ids: inout [NodeInfo: Int32], _ infos: inout [NodeInfo]) -> Int32 {
        if let id = ids[info] { return id }
        let id = Int32(infos.count)
        infos.append(info)
        ids[info] = id
        return id
    }

    var count: Int { infos.count }

    func string(_ id: Int32) -> String { strings[Int(id)] }

    /// pprof's `PrintableName`: address, function, `file:line[:col]` (or file, or
    /// `[objfile]`, or `<unknown>`), joined by spaces.
    mutating func printableName(_ node: Int) -> [UInt8] {
        if let cached = printableCache[node] { return cached }
        let info = infos[node]
        var parts: [String] = []
        if info.address != 0 { parts.append(Self.hex16(info.address)) }
        if info.name != 0 { parts.append(string(info.name)) }
        if info.line != 0 {
            var s = string(info.file) + ":" + String(info.line)
            if info.column != 0 { s += ":" + String(info.column) }
            parts.append(s)
        } else if info.file != 0 {
            parts.append(string(info.file))
        } else if info.name != 0 {
        } else if info.objfile != 0 {
            parts.append("[" + GoPath.base(string(info.objfile)) + "]")
        } else {
            parts.append("<unknown>")
        }
        let bytes = Array(parts.joined(separator: " ").utf8)
        printableCache[node] = bytes
        return bytes
    }

    mutating func printableString(_ node: Int) -> String {
        String(decoding: printableName(node), as: UTF8.self)
    }

    /// Go's `fmt.Sprint(NodeInfo)`, pprof's last-resort sort key.
    func goSprint(_ node: Int) -> [UInt8] {
        let i = infos[node]
        let s = "{\(string(i.name))  \(i.address) \(string(i.file)) \(i.startLine) \(i.line) \(i.column) \(string(i.objfile))}"
        return Array(s.utf8)
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
