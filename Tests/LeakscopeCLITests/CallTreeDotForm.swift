import Testing

/// What `go tool pprof -call_tree -dot` prints the same on every run. Its call tree repeats a
/// function once per calling context, so nodes tie often (same name, same weights), and pprof
/// orders ties by `sort.Sort` over Go maps: node numbers, and the order of tied nodes and
/// edges, change from run to run. The form keeps everything else:
/// - every line with node numbers blanked (`N12` → `N#`, `node12` → `node#`), in order, except
///   that a run of adjacent nodes with the same name and flat weight (each with its nodelets),
///   or of edges with the same weight and ends, counts as a multiset;
/// - the tree itself: each node's lines with its callees' subtrees, compared up to renumbering.
struct CallTreeDotForm: Equatable {
    var sequence: [String]
    var forest: [String]
    /// What stays when pprof's `-nodecount` cut falls among tied nodes and it keeps a random choice
    /// of them: the legend, and the multiset of kept nodes by name and flat weight.
    var legend: [String]
    var nodeKeys: [String]

    init(_ bytes: [UInt8]) {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        var attached: [Int: [String]] = [:]
        var callees: [Int: [(String, Int)]] = [:]
        var hasCaller: Set<Int> = []
        var nodes: [Int] = []
        // Groups of blanked lines: (key, members), a member being a node with its nodelets.
        var groups: [(key: String?, members: [[String]])] = []
        func group(_ key: String, _ line: String) {
            if let last = groups.last, last.key == key {
                groups[groups.count - 1].members.append([line])
            } else {
                groups.append((key, [[line]]))
            }
        }
        legend = []
        nodeKeys = []
        for line in lines {
            let blanked = Self.blank(line)
            if let (a, b) = Self.edge(line) {
                callees[a, default: []].append((blanked, b))
                hasCaller.insert(b)
                group("E" + Self.edgeKey(line), blanked)
            } else if let k = Self.leadingNode(line) {
                attached[k, default: []].append(blanked)
                if line.hasPrefix("N\(k) [") {
                    nodes.append(k)
                    let key = Self.nodeKey(line)
                    nodeKeys.append(key)
                    group("N" + key, blanked)
                } else if let last = groups.last, last.key?.hasPrefix("N") == true {
                    groups[groups.count - 1].members[last.members.count - 1].append(blanked)
                } else {
                    groups.append((nil, [[blanked]]))
                }
            } else {
                if line.hasPrefix("subgraph cluster_L") { legend.append(line) }
                groups.append((nil, [[blanked]]))
            }
        }
        nodeKeys.sort()
        sequence = groups.map { g in
            g.key == nil ? g.members[0][0] : g.members.map { $0.joined(separator: "\n") }.sorted().joined(separator: "\n")
        }
        func subtree(_ k: Int, _ seen: Set<Int>) -> String {
            if seen.contains(k) { return "CYCLE" }
            let kids = (callees[k] ?? []).map { $0.0 + subtree($0.1, seen.union([k])) }.sorted()
            return "(" + (attached[k] ?? []).sorted().joined(separator: "|") + "[" + kids.joined(separator: ",") + "])"
        }
        forest = nodes.filter { !hasCaller.contains($0) }.map { subtree($0, []) }.sorted()
    }

    /// Node numbers blanked: `N12`, `N12_0`, `NN12_0_1` and `node12` at a word start.
    static func blank(_ line: String) -> String {
        let bytes = Array(line.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        func isWord(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        var i = 0
        while i < bytes.count {
            if i == 0 || !isWord(bytes[i - 1]) {
                var j = i
                if bytes[j...].starts(with: Array("node".utf8)) { j += 4 } else {
                    while j < bytes.count && bytes[j] == UInt8(ascii: "N") { j += 1 }
                }
                if j > i && isDigit(j) {
                    out += bytes[i..<j]
                    out.append(UInt8(ascii: "#"))
                    while isDigit(j) { j += 1 }
                    i = j
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `N<a> -> N<b> [`: an edge between two nodes (not to a nodelet).
    static func edge(_ line: String) -> (Int, Int)? {
        guard let a = leadingNode(line), line.hasPrefix("N\(a) -> N") else { return nil }
        let rest = line.dropFirst("N\(a) -> N".count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let b = Int(digits), rest.dropFirst(digits.count).hasPrefix(" [") else { return nil }
        return (a, b)
    }

    /// The node a line belongs to: the number after its leading `N` or `NN`.
    static func leadingNode(_ line: String) -> Int? {
        let rest = line.drop { $0 == "N" }
        guard rest.count < line.count, line.count - rest.count <= 2 else { return nil }
        return Int(rest.prefix { $0.isASCII && $0.isNumber })
    }

    /// An edge's tie key: its weight as printed, without sign and without the `\n (inline)` marker.
    /// pprof sorts edges by |weight| first and returns at once when the weights differ, so an edge of
    /// -w and one of +w tie whatever their names (and `sort.Sort` over a map's order puts them either
    /// way); whether a call was inlined is not compared at all (with `-files` an inlined and a plain
    /// edge between two nodes of one file tie, seen in CI).
    static func edgeKey(_ line: String) -> String {
        let weight = attribute("label", line).components(separatedBy: #"\n"#)[0].trimmingCharacters(in: .whitespaces)
        return weight.hasPrefix("-") ? String(weight.dropFirst()) : weight
    }

    /// A node's tie key: its name and its flat weight without sign (pprof compares |flat|).
    static func nodeKey(_ line: String) -> String {
        var parts = attribute("label", line).components(separatedBy: #"\n"#)
        if let last = parts.last {
            if last.hasPrefix("of ") { parts.removeLast() } else if last.hasPrefix("0 of ") { parts[parts.count - 1] = "0" }
        }
        if let flat = parts.last, flat.hasPrefix("-") { parts[parts.count - 1] = String(flat.dropFirst()) }
        return parts.joined(separator: #"\n"#)
    }

    /// The value of `name="…"` in a dot line ("" when absent); values hold no unescaped quote.
    static func attribute(_ name: String, _ line: String) -> String {
        guard let start = line.range(of: " " + name + "=\"") ?? line.range(of: "[" + name + "=\"") else { return "" }
        var value = ""
        var escaped = false
        for c in line[start.upperBound...] {
            if c == "\"" && !escaped { break }
            escaped = c == "\\" && !escaped
            value.append(c)
        }
        return value
    }
}

/// The tolerant comparison must still fail on a real difference: renumbering tied nodes keeps the
/// form, a changed weight or a callee moved to another caller does not.
@Suite struct CallTreeDotFormTests {
    static let dot = """
    digraph "x" {
    N1 [label="main\\nrun\\n0 of 2s (100%)" id="node1" fontsize=8 shape=box tooltip="main.run (2s)" color="#b20000" fillcolor="#edd5d5"]
    N2 [label="main\\nleaf\\n1s (50.00%)" id="node2" fontsize=24 shape=box tooltip="main.leaf (1s)" color="#b20000" fillcolor="#edd5d5"]
    N3 [label="main\\nleaf\\n1s (50.00%)" id="node3" fontsize=24 shape=box tooltip="main.leaf (1s)" color="#b20000" fillcolor="#edd5d5"]
    N4 [label="main\\na\\n0 of 1s (50.00%)" id="node4" fontsize=8 shape=box tooltip="main.a (1s)" color="#b20000" fillcolor="#edd5d5"]
    N1 -> N4 [label=" 1s" tooltip="main.run -> main.a (1s)" labeltooltip="main.run -> main.a (1s)"]
    N1 -> N2 [label=" 1s" tooltip="main.run -> main.leaf (1s)" labeltooltip="main.run -> main.leaf (1s)"]
    N4 -> N3 [label=" 1s" tooltip="main.a -> main.leaf (1s)" labeltooltip="main.a -> main.leaf (1s)"]
    }
    """

    static func form(_ text: String) -> CallTreeDotForm { CallTreeDotForm(Array(text.utf8)) }

    @Test func tiedNodesMayBeNumberedEitherWay() {
        let swapped = Self.dot.replacingOccurrences(of: "N2", with: "NX").replacingOccurrences(of: "N3", with: "N2")
            .replacingOccurrences(of: "NX", with: "N3").replacingOccurrences(of: "node2", with: "nodeX")
            .replacingOccurrences(of: "node3", with: "node2").replacingOccurrences(of: "nodeX", with: "node3")
        #expect(swapped != Self.dot)
        #expect(Self.form(swapped) == Self.form(Self.dot))
    }

    @Test func aCalleeUnderAnotherCallerDiffers() {
        let moved = Self.dot.replacingOccurrences(of: "N1 -> N2 [", with: "N4 -> N2 [")
        #expect(Self.form(moved).forest != Self.form(Self.dot).forest)
        #expect(Self.form(moved) != Self.form(Self.dot))
    }

    @Test func edgesOfOppositeWeightMayComeEitherWay() {
        let negative = Self.dot.replacingOccurrences(of: #"N1 -> N4 [label=" 1s""#, with: #"N1 -> N4 [label=" -1s""#)
        let first = #"N1 -> N4 [label=" -1s" tooltip="main.run -> main.a (1s)" labeltooltip="main.run -> main.a (1s)"]"#
        let second = #"N1 -> N2 [label=" 1s" tooltip="main.run -> main.leaf (1s)" labeltooltip="main.run -> main.leaf (1s)"]"#
        #expect(negative.contains(first + "\n" + second))
        let swapped = negative.replacingOccurrences(of: first + "\n" + second, with: second + "\n" + first)
        #expect(swapped != negative)
        #expect(Self.form(swapped) == Self.form(negative))
    }

    /// pprof's edge order ignores the inline marker: an inlined edge ties with a plain one of its weight.
    @Test func anInlinedEdgeTiesWithAPlainOneOfItsWeight() {
        let inlined = Self.dot.replacingOccurrences(of: #"N1 -> N2 [label=" 1s""#, with: #"N1 -> N2 [label=" 1s\n (inline)""#)
        let first = #"N1 -> N4 [label=" 1s" tooltip="main.run -> main.a (1s)" labeltooltip="main.run -> main.a (1s)"]"#
        let second = #"N1 -> N2 [label=" 1s\n (inline)" tooltip="main.run -> main.leaf (1s)" labeltooltip="main.run -> main.leaf (1s)"]"#
        #expect(inlined.contains(first + "\n" + second))
        let swapped = inlined.replacingOccurrences(of: first + "\n" + second, with: second + "\n" + first)
        #expect(swapped != inlined)
        #expect(Self.form(swapped) == Self.form(inlined))
        // The marker itself still counts: the same graph without it is another output.
        #expect(Self.form(inlined) != Self.form(Self.dot))
    }

    @Test func aChangedWeightDiffers() {
        let heavier = Self.dot.replacingOccurrences(of: "main\\na\\n0 of 1s", with: "main\\na\\n0 of 2s")
        #expect(Self.form(heavier) != Self.form(Self.dot))
    }
}
