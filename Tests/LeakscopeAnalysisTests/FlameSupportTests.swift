import Testing
import Foundation
import CZlib
@testable import LeakscopeProfile

/// Builds small profiles in memory: stacks are written root first as function names, and a
/// frame written `inner+outer` is one location where `inner` was inlined into `outer`.
struct ProfileBuilder {
    var profile = Profile()
    private var functionIndex: [String: Int] = [:]
    private var locationIndex: [String: Int] = [:]

    init(types: [(String, String)] = [("samples", "count"), ("cpu", "nanoseconds")]) {
        profile.sampleTypes = types.map { ValueType(type: $0.0, unit: $0.1) }
    }

    mutating func function(_ name: String) -> Int {
        if let i = functionIndex[name] { return i }
        profile.functions.append(Function(id: UInt64(profile.functions.count + 1), name: name,
                                          filename: "/src/" + name.replacingOccurrences(of: ".", with: "_") + ".go",
                                          startLine: 10))
        functionIndex[name] = profile.functions.count - 1
        return profile.functions.count - 1
    }

    mutating func location(_ spec: String, line: Int64) -> Int {
        let key = spec + "@" + String(line)
        if let i = locationIndex[key] { return i }
        // innermost first, as in profile.proto
        let lines = spec.split(separator: "+").map { Line(function: function(String($0)), line: line) }
        profile.locations.append(Location(id: UInt64(profile.locations.count + 1), address: UInt64(0x1000 + profile.locations.count * 16), lines: lines))
        locationIndex[key] = profile.locations.count - 1
        return profile.locations.count - 1
    }

    /// `stack` root first; `lines` optional per frame line numbers.
    mutating func add(_ stack: [String], _ values: [Int64], lines: [Int64]? = nil) {
        var locations: [Int] = []
        for (i, spec) in stack.enumerated() { locations.append(location(spec, line: lines?[i] ?? 20)) }
        profile.samples.append(Sample(locations: locations.reversed(), values: values))
    }
}

/// An independent reader of the data embedded in a flame-graph page, so tests can check
/// what the browser will see.
struct EmbeddedFlame {
    var meta: [String: Any]
    var names: [String]
    /// Per node in pre-order: frame (-1 = root), parent, self value, base self value.
    var frame: [Int] = []
    var parent: [Int] = []
    var selfValue: [Int64] = []
    var selfBase: [Int64] = []
    var compressedSize: Int

    init(html: [UInt8]) throws {
        let page = String(decoding: html, as: UTF8.self)
        func between(_ open: String, _ close: String) throws -> String {
            let start = try #require(page.range(of: open))
            let end = try #require(page.range(of: close, range: start.upperBound..<page.endIndex))
            return String(page[start.upperBound..<end.lowerBound])
        }
        let metaText = try between("<script id=\"flame-meta\" type=\"application/json\">", "</script>")
        meta = try #require(try JSONSerialization.jsonObject(with: Data(metaText.utf8)) as? [String: Any])
        let base64 = try between("<script id=\"flame-data\" type=\"application/octet-stream\">", "</script>")
        let packed = try #require(Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)))
        compressedSize = packed.count
        let sections = try #require(meta["sections"] as? [Int])
        let total = sections.reduce(0, +)
        var raw = [UInt8](repeating: 0, count: total)
        if meta["compressed"] as? Bool == true {
            var length = uLong(total)
            let status = packed.withUnsafeBytes { src in
                raw.withUnsafeMutableBufferPointer { dst in
                    uncompress(dst.baseAddress, &length, src.bindMemory(to: UInt8.self).baseAddress, uLong(src.count))
                }
            }
            try #require(status == Z_OK && Int(length) == total)
        } else {
            raw = [UInt8](packed)
        }
        let nodes = try #require(meta["nodes"] as? Int)
        let frameCount = try #require(meta["frames"] as? Int)
        names = frameCount == 0 ? [] : String(decoding: raw[0..<sections[0]], as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var pos = sections[0]
        func varints(_ count: Int) -> [UInt64] {
            var out: [UInt64] = []
            for _ in 0..<count {
                var v: UInt64 = 0, shift: UInt64 = 0
                while true {
                    let b = raw[pos]; pos += 1
                    v |= UInt64(b & 127) << shift
                    shift += 7
                    if b < 128 { break }
                }
                out.append(v)
            }
            return out
        }
        func zigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))) }
        frame = varints(nodes).map { Int($0) - 1 }
        let kids = varints(nodes).map(Int.init)
        selfValue = varints(nodes).map(zigzag)
        selfBase = meta["diff"] as? Bool == true ? varints(nodes).map(zigzag) : Array(repeating: 0, count: nodes)
        try #require(pos == total)
        // Rebuild parents from the pre-order child counts, as the page does.
        var remaining = kids, stack: [Int] = []
        parent = Array(repeating: -1, count: nodes)
        for i in 0..<nodes {
            while let top = stack.last, remaining[top] == 0 { stack.removeLast() }
            if i > 0 {
                let p = try #require(stack.last)
                parent[i] = p
                remaining[p] -= 1
            }
            if kids[i] > 0 { stack.append(i) }
        }
    }

    func path(_ node: Int) -> [String] {
        var out: [String] = []
        var n = node
        while n > 0 { out.append(names[frame[n]]); n = parent[n] }
        return out.reversed()
    }

    /// "a;b;c" → (new, base) self values, like a collapsed file.
    var stacks: [String: (Int64, Int64)] {
        var out: [String: (Int64, Int64)] = [:]
        for i in 1..<frame.count where selfValue[i] != 0 || selfBase[i] != 0 {
            let key = path(i).joined(separator: ";")
            let old = out[key] ?? (0, 0)
            out[key] = (old.0 + selfValue[i], old.1 + selfBase[i])
        }
        return out
    }

    /// Inclusive (new, base) values per node.
    var totals: (value: [Int64], base: [Int64]) {
        var v = selfValue, b = selfBase
        for i in stride(from: frame.count - 1, to: 0, by: -1) {
            v[parent[i]] += v[i]
            b[parent[i]] += b[i]
        }
        return (v, b)
    }
}

/// Parses collapsed text into stack → value, failing on malformed lines.
func parseCollapsed(_ text: String) throws -> [String: Int64] {
    var out: [String: Int64] = [:]
    for line in text.split(separator: "\n") {
        let space = try #require(line.lastIndex(of: " "))
        let value = try #require(Int64(line[line.index(after: space)...]))
        let stack = String(line[..<space])
        #expect(out[stack] == nil, "stack listed twice: \(stack)")
        out[stack] = value
    }
    return out
}
