import LeakscopeFormat
import LeakscopeGoroutineAnalysis
import LeakscopeFindings

/// A self-contained HTML report: summary, suspects, searchable collapsible buckets and the
/// creation tree. The data travels once, as compact JSON with every string interned; the page's
/// script (`Assets/goroutines.js`) renders rows as they scroll into view and a bucket's stack
/// only when opened, so a dump of 200k goroutines opens at once. No external URL anywhere.
public enum GoroutineHTML {
    /// Buckets beyond this are summarised, not listed (the smallest ones, after the suspects).
    public static let bucketLimit = 20_000
    /// Frames kept per bucket.
    public static let frameLimit = 64

    public static func render(_ a: GoroutineAnalysis, title: String = "leakscope goroutines") -> String {
        var strings = StringTable()
        var data = "{\"title\":" + jsonString(title)
        data += ",\"goroutines\":\(a.goroutines),\"labelled\":\(a.labelled),\"bucketCount\":\(a.buckets.count)"
        data += ",\"dumps\":[" + a.dumps.map { jsonString("\($0.name) (\($0.goroutines))") }.joined(separator: ",") + "]"
        // Count and proto profiles record no state or wait: no chip or line for them.
        let hasStates = GoroutineText.hasStates(a)
        data += ",\"waits\":\(hasStates)"
        data += ",\"byState\":[" + a.byState.filter { hasStates && !$0.state.isEmpty }.map { "[\(jsonString($0.state)),\($0.count)]" }.joined(separator: ",") + "]"
        if let c = a.change {
            data += ",\"change\":" + jsonString("since the previous dump: \(Numbers.count(c.new)) new, \(Numbers.count(c.gone)) gone, \(Numbers.count(c.persisted)) still there")
        }
        // Bucket: [count, state, kind, "min/med/max", site, creator, labels, growth, healthy, suspect, frames]
        // where site/creator/frames are [function, file, line] with interned strings.
        func site(_ s: SourceSite?) -> String {
            guard let s else { return "0" }
            return "[\(strings.id(s.function)),\(strings.id(s.file)),\(s.line)]"
        }
        var rows: [String] = []
        rows.reserveCapacity(min(a.buckets.count, bucketLimit))
        for bucket in a.buckets.prefix(bucketLimit) {
            let w = bucket.waitMinutes
            var row = "[\(bucket.count),\(strings.id(bucket.state)),\(strings.id(bucket.kind.phrase)),\"\(w.min)/\(w.median)/\(w.max)\""
            row += "," + site(bucket.blockingSite) + "," + site(bucket.createdBy)
            row += "," + jsonString(bucket.labelSets.prefix(5).map(GoroutineText.labelText).joined(separator: " "))
            row += "," + jsonString(bucket.growth.map(GoroutineText.growthText) ?? "")
            row += "," + jsonString(bucket.healthyShape.map { "healthy: \($0.name) — \($0.reason)" } ?? "")
            if let s = bucket.suspect {
                row += ",[\(s.rank),\(s.score),\(jsonString(s.reason)),\(jsonString(s.remedy ?? ""))]"
            } else {
                row += ",0"
            }
            row += ",[" + bucket.stack.prefix(frameLimit).map { site($0) }.joined(separator: ",") + "]"
            rows.append(row + "]")
        }
        data += ",\"buckets\":[" + rows.joined(separator: ",\n") + "]"
        data += ",\"tree\":" + treeJSON(a.creationTree, strings: &strings)
        data += ",\"strings\":[" + strings.list.map(jsonString).joined(separator: ",") + "]}"

        var page = HTMLPage(title: title, css: PageAssets.goroutinesCSS)
        page.append("""
        <header><h1>\(HTMLText.escape(title))</h1><div id="summary"></div><div id="states"></div></header>
        <section><h2>Suspects</h2><div id="suspects"></div></section>
        <section><h2>Buckets</h2>
        <input id="search" type="search" placeholder="Filter by function, file, state or label" autocomplete="off">
        <span id="shown"></span>
        <div id="buckets"></div><div id="sentinel"></div></section>
        <section><h2>Creation tree</h2><p class="hint">Who spawned whom: goroutines grouped by the go statement that started them, under the goroutines that ran it.</p><div id="tree"></div></section>

        """)
        page.appendData(id: "data", type: "application/json", data)
        page.appendScript(PageAssets.goroutinesJS)
        return String(decoding: page.finish(), as: UTF8.self)
    }

    static func treeJSON(_ nodes: [CreationNode], strings: inout StringTable) -> String {
        "[" + nodes.map { "[\(strings.id($0.site)),\($0.count),\($0.total),\($0.parentGone ? 1 : 0),\(treeJSON($0.children, strings: &strings))]" }
            .joined(separator: ",") + "]"
    }

    struct StringTable {
        var list: [String] = [""]
        var ids: [String: Int] = ["": 0]
        mutating func id(_ s: String) -> Int {
            if let known = ids[s] { return known }
            list.append(s)
            ids[s] = list.count - 1
            return list.count - 1
        }
    }

    /// A JSON string literal that is also safe inside a `<script>` element.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
