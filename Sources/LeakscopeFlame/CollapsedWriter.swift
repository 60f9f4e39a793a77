import LeakscopeProfile

/// Writes the collapsed-stack text of a call tree.
enum CollapsedWriter {
    static func write(_ model: FlameModel) -> [UInt8] {
        let tree = model.tree
        let names = model.table.names.map(sanitized)
        let (start, list) = tree.children(orderedBy: model.table.nameRanks())
        var out = ByteWriter()
        // Byte length of the path prefix at each depth, so popping a frame is a truncation.
        var path: [UInt8] = []
        var prefixLength: [Int] = []
        // Explicit stack of (node, depth): deep stacks cannot overflow the call stack.
        var pending: [(node: Int32, depth: Int)] = []
        for c in (Int(start[0])..<Int(start[1])).reversed() { pending.append((list[c], 0)) }
        while let (node, depth) = pending.popLast() {
            let n = Int(node)
            if depth < prefixLength.count {
                path.removeSubrange(prefixLength[depth]...)
                prefixLength.removeSubrange(depth...)
            }
            prefixLength.append(path.count)
            if depth > 0 { path.append(UInt8(ascii: ";")) }
            path.append(contentsOf: names[Int(tree.frame[n])])
            let value = tree.selfValue[n]
            if value != 0 {
                out.append(contentsOf: path)
                out.append(UInt8(ascii: " "))
                out.appendDecimal(value)
                out.append(UInt8(ascii: "\n"))
            }
            for c in (Int(start[n])..<Int(start[n + 1])).reversed() { pending.append((list[c], depth + 1)) }
        }
        return out.bytes
    }

    private static func sanitized(_ name: String) -> [UInt8] {
        name.utf8.map { byte in
            switch byte {
            case UInt8(ascii: ";"): UInt8(ascii: ":")
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): UInt8(ascii: " ")
            default: byte
            }
        }
    }
}
