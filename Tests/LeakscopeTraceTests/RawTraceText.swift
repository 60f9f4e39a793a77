import Foundation
import LeakscopeTrace

/// Encodes the text form of a trace (`go tool trace -d=wire` output, and the `-- trace --` section of
/// Go's `internal/trace/testdata/tests/*.test` files) back into the binary wire format, so traces that
/// real Go 1.22–1.25 programs wrote can be read by both our reader and Go's.
enum RawTraceText {
    struct EncodingError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    static func encode(_ text: String) throws -> [UInt8] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let start = lines.firstIndex(of: "-- trace --") { lines = Array(lines[(start + 1)...]) }
        guard let header = lines.first, header.hasPrefix("Trace Go1.") else {
            throw EncodingError(line: 1, message: "no `Trace Go1.N` header")
        }
        var out = Array("go 1.\(header.dropFirst("Trace Go1.".count)) trace\0\0\0".utf8)
        var names: [String: UInt8] = [:]
        for (id, spec) in TraceEventType.specs.enumerated() where !spec.name.isEmpty { names[spec.name] = UInt8(id) }
        var index = 1
        while index < lines.count {
            let line = lines[index]
            index += 1
            if line.isEmpty || line.hasPrefix("\t") { continue }
            let fields = line.split(separator: " ")
            guard let type = names[String(fields[0])] else { throw EncodingError(line: index, message: "unknown event \(fields[0])") }
            let values = try fields.dropFirst().map { field -> UInt64 in
                guard let equals = field.firstIndex(of: "="), let value = UInt64(field[field.index(after: equals)...]) else {
                    throw EncodingError(line: index, message: "bad argument \(field)")
                }
                return value
            }
            if type == TraceEventType.endOfGeneration.rawValue {
                out.append(type)
                continue
            }
            if type == TraceEventType.eventBatch.rawValue {
                // `size` is the encoded size of the events that follow; encode them and check.
                var body: [UInt8] = []
                while index < lines.count, !lines[index].hasPrefix("EventBatch"), !lines[index].hasPrefix("EndOfGeneration"),
                      !lines[index].isEmpty {
                    try encodeEvent(lines, &index, names: names, into: &body)
                }
                guard values.count == 4, values[3] == UInt64(body.count) else {
                    throw EncodingError(line: index, message: "batch size \(values.last ?? 0) but \(body.count) bytes encoded")
                }
                out.append(type)
                for value in values { uvarint(value, into: &out) }
                out += body
                continue
            }
            throw EncodingError(line: index, message: "event \(fields[0]) outside a batch")
        }
        return out
    }

    private static func encodeEvent(_ lines: [String], _ index: inout Int, names: [String: UInt8],
                                    into out: inout [UInt8]) throws {
        let line = lines[index]
        index += 1
        let fields = line.split(separator: " ")
        guard let type = names[String(fields[0])] else { throw EncodingError(line: index, message: "unknown event \(fields[0])") }
        out.append(type)
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "="), let value = UInt64(field[field.index(after: equals)...]) else {
                throw EncodingError(line: index, message: "bad argument \(field)")
            }
            uvarint(value, into: &out)
        }
        switch type {
        case TraceEventType.string.rawValue:
            let data = lines[index].trimmingCharacters(in: .whitespaces)
            index += 1
            guard data.hasPrefix("data=\"") && data.hasSuffix("\"") else { throw EncodingError(line: index, message: "no string data") }
            let bytes = try unquote(String(data.dropFirst(6).dropLast()), line: index)
            uvarint(UInt64(bytes.count), into: &out)
            out += bytes
        case TraceEventType.stack.rawValue:
            while index < lines.count, lines[index].hasPrefix("\t") {
                for field in lines[index].split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                    guard let equals = field.firstIndex(of: "="), let value = UInt64(field[field.index(after: equals)...]) else {
                        throw EncodingError(line: index + 1, message: "bad frame field \(field)")
                    }
                    uvarint(value, into: &out)
                }
                index += 1
            }
        default:
            break
        }
    }

    /// Go's `%q` quoting undone (the escapes runtime strings use).
    private static func unquote(_ text: String, line: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
            guard let escape = bytes.popFirst() else { throw EncodingError(line: line, message: "dangling backslash") }
            switch escape {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(escape)
            case UInt8(ascii: "x"):
                guard bytes.count >= 2, let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) else {
                    throw EncodingError(line: line, message: "bad \\x escape")
                }
                out.append(value)
                bytes = bytes.dropFirst(2)
            default: throw EncodingError(line: line, message: "unsupported escape \\\(Character(UnicodeScalar(escape)))")
            }
        }
        return out
    }

    static func uvarint(_ value: UInt64, into out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }
}
