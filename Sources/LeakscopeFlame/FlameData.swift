import CZlib
import LeakscopeProfile

/// The call tree packed for the HTML page: a string table and column-wise varint arrays,
/// deflated (zlib format, which the browser's `DecompressionStream("deflate")` reads).
///
/// Layout of the uncompressed blob, each section's byte length given in the page header:
/// 1. `names`: frame names, UTF-8, separated by `\n`.
/// 2. `frames`: per node in pre-order (root first), frame ID + 1 (0 = root) as varint.
/// 3. `kids`: per node, number of children, varint.
/// 4. `selfs`: per node, self value of the new profile, zigzag varint.
/// 5. `bases`: per node, self value of the base profile, zigzag varint (empty without base).
///
/// Children appear in name order, so the pre-order is the flame graph's left-to-right order.
package struct FlameData {
    var names = ByteWriter()
    var frames = ByteWriter()
    var kids = ByteWriter()
    var selfs = ByteWriter()
    var bases = ByteWriter()
    package var nodeCount = 0

    package init(_ model: FlameModel) {
        let tree = model.tree
        for (i, name) in model.table.names.enumerated() {
            if i > 0 { names.append(UInt8(ascii: "\n")) }
            names.append(contentsOf: name.utf8.map { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") ? UInt8(ascii: " ") : $0 })
        }
        let (start, list) = tree.children(orderedBy: model.table.nameRanks())
        var pending: [Int32] = [0]
        while let node = pending.popLast() {
            let n = Int(node)
            frames.appendVarint(UInt64(Int64(tree.frame[n]) + 1))
            kids.appendVarint(UInt64(start[n + 1] - start[n]))
            selfs.appendSignedVarint(tree.selfValue[n])
            if model.hasBase { bases.appendSignedVarint(tree.selfBase[n]) }
            nodeCount += 1
            for c in (Int(start[n])..<Int(start[n + 1])).reversed() { pending.append(list[c]) }
        }
    }

    package var sectionLengths: [Int] { [names.bytes.count, frames.bytes.count, kids.bytes.count, selfs.bytes.count, bases.bytes.count] }

    package var blob: [UInt8] { names.bytes + frames.bytes + kids.bytes + selfs.bytes + bases.bytes }

    /// zlib-format deflate of `input` at level 6: level 9 takes 4× as long for ~2% less on real profiles.
    /// nil only if zlib fails (out of memory).
    package static func deflate(_ input: [UInt8]) -> [UInt8]? {
        var capacity = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                compress2(destination.baseAddress, &capacity, source.baseAddress, uLong(source.count), 6)
            }
        }
        guard status == Z_OK else { return nil }
        output.removeSubrange(Int(capacity)...)
        return output
    }

    package static func base64(_ input: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [UInt8]()
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= input.count {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(v >> 18)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
            out.append(alphabet[Int(v & 63)])
            i += 3
        }
        let rest = input.count - i
        if rest > 0 {
            let v = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
            out.append(alphabet[Int(v >> 18)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return out
    }
}
