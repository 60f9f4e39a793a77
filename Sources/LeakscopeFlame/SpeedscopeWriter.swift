import LeakscopeProfile

/// Writes a speedscope JSON file with one sampled profile.
enum SpeedscopeWriter {
    /// speedscope's weight unit for a profile.proto unit ("none" when it has no equivalent).
    static func unit(for profileUnit: String) -> String {
        switch profileUnit {
        case "nanoseconds", "ns": "nanoseconds"
        case "microseconds", "us": "microseconds"
        case "milliseconds", "ms": "milliseconds"
        case "seconds", "s": "seconds"
        case "bytes", "B": "bytes"
        default: "none"
        }
    }

    static func write(_ model: FlameModel, unit profileUnit: String, name: String) -> [UInt8] {
        let tree = model.tree
        let table = model.table
        var out = ByteWriter()
        out.append("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"shared\":{\"frames\":[")
        for id in 0..<table.count {
            if id > 0 { out.append(UInt8(ascii: ",")) }
            out.append("{\"name\":")
            out.appendJSONString(table.names[id])
            if !table.files[id].isEmpty {
                out.append(",\"file\":")
                out.appendJSONString(table.files[id])
            }
            if table.lines[id] > 0 {
                out.append(",\"line\":")
                out.appendDecimal(table.lines[id])
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append("]},\"profiles\":[{\"type\":\"sampled\",\"name\":")
        out.appendJSONString(name)
        out.append(",\"unit\":\"")
        out.append(unit(for: profileUnit))
        out.append("\",\"startValue\":0,\"endValue\":")
        // Weights go in a second buffer so each stack is walked once.
        var weights = ByteWriter()
        var samples = ByteWriter()
        var total: Int64 = 0
        var first = true
        var stack: [Int32] = []
        for node in 1..<tree.count where tree.selfValue[node] > 0 {
            stack.removeAll(keepingCapacity: true)
            var n = Int32(node)
            while n > 0 {
                stack.append(tree.frame[Int(n)])
                n = tree.parent[Int(n)]
            }
            if !first {
                samples.append(UInt8(ascii: ","))
                weights.append(UInt8(ascii: ","))
            }
            first = false
            samples.append(UInt8(ascii: "["))
            for (i, frame) in stack.reversed().enumerated() {
                if i > 0 { samples.append(UInt8(ascii: ",")) }
                samples.appendDecimal(Int64(frame))
            }
            samples.append(UInt8(ascii: "]"))
            weights.appendDecimal(tree.selfValue[node])
            total = total &+ tree.selfValue[node]
        }
        out.appendDecimal(total)
        out.append(",\"samples\":[")
        out.append(contentsOf: samples.bytes)
        out.append("],\"weights\":[")
        out.append(contentsOf: weights.bytes)
        out.append("]}],\"name\":")
        out.appendJSONString(name)
        out.append(",\"activeProfileIndex\":0,\"exporter\":\"leakscope\"}\n")
        return out.bytes
    }
}
