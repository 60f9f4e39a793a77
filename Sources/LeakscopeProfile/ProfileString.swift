import Foundation

extension Profile {
    /// The text pprof's `(*Profile).String()` produces for this profile, byte for byte
    /// (it is what `go tool pprof -raw` prints).
    ///
    /// Two conventions follow from how pprof holds a profile in memory:
    /// - a missing period type prints as `PeriodType:  `, because pprof's decoder always
    ///   creates an empty one;
    /// - numeric labels of one key print with units (`bytes:[64 bytes]`) when any of its
    ///   values carries a unit, as pprof's decoder pads the unit list in that case.
    public var pprofString: String {
        var out = ByteWriter()
        out.reserve(64 + samples.count * 48 + locations.count * 64 + mappings.count * 64)
        for comment in comments {
            out.append("Comment: ")
            out.append(comment)
            out.newline()
        }
        if !docURL.isEmpty {
            out.append("Doc: ")
            out.append(docURL)
            out.newline()
        }
        out.append("PeriodType: ")
        out.append(periodType?.type ?? "")
        out.append(" ")
        out.append(periodType?.unit ?? "")
        out.newline()
        out.append("Period: ")
        out.appendDecimal(period)
        out.newline()
        if timeNanos != 0 {
            out.append("Time: ")
            out.append(GoTimeFormat.localTimeString(unixNanos: timeNanos))
            out.newline()
        }
        if durationNanos != 0 {
            out.append("Duration: ")
            out.append(GoTimeFormat.durationString(durationNanos, maxRunes: 4))
            out.newline()
        }
        out.append("Samples:")
        out.newline()
        var header: [UInt8] = []
        for sampleType in sampleTypes {
            header.append(contentsOf: sampleType.type.utf8)
            header.append(UInt8(ascii: "/"))
            header.append(contentsOf: sampleType.unit.utf8)
            if sampleType.type == defaultSampleType { header.append(contentsOf: "[dflt]".utf8) }
            header.append(UInt8(ascii: " "))
        }
        out.appendTrimmingSpaces(header)
        out.newline()
        for sample in samples {
            appendSample(sample, to: &out)
        }
        out.append("Locations")
        out.newline()
        for location in locations {
            appendLocation(location, to: &out)
        }
        out.append("Mappings")
        out.newline()
        for mapping in mappings {
            out.appendDecimal(mapping.id)
            out.append(": ")
            out.appendHex(mapping.start)
            out.append("/")
            out.appendHex(mapping.limit)
            out.append("/")
            out.appendHex(mapping.offset)
            out.append(" ")
            out.append(mapping.file)
            out.append(" ")
            out.append(mapping.buildID)
            out.append(" ")
            if mapping.hasFunctions { out.append("[FN]") }
            if mapping.hasFilenames { out.append("[FL]") }
            if mapping.hasLineNumbers { out.append("[LN]") }
            if mapping.hasInlineFrames { out.append("[IN]") }
            out.newline()
        }
        return out.string
    }

    private func appendSample(_ sample: Sample, to out: inout ByteWriter) {
        for value in sample.values {
            out.append(" ")
            out.appendDecimal(value, width: 10)
        }
        out.append(": ")
        for index in sample.locations {
            let id = locations.indices.contains(index) ? locations[index].id : 0
            out.appendDecimal(id)
            out.append(" ")
        }
        out.newline()
        guard !sample.labels.isEmpty else { return }
        let labelHeader = "                "
        if sample.labels.count == 1, case .number(let value, let unit) = sample.labels[0].value {
            // The common single numeric label (legacy heap `bytes`), without the maps.
            out.append(labelHeader)
            out.append(sample.labels[0].key)
            out.append(":[")
            out.appendDecimal(value)
            if !unit.isEmpty {
                out.append(" ")
                out.append(unit)
            }
            out.append("]")
            out.newline()
            return
        }
        let (strings, numbers) = Self.renderLabels(sample.labels)
        if !strings.isEmpty {
            out.append(labelHeader)
            out.append(strings)
            out.newline()
        }
        if !numbers.isEmpty {
            out.append(labelHeader)
            out.append(numbers)
            out.newline()
        }
    }

    /// pprof keeps labels in per-key maps and prints `key:[v1 v2]` entries sorted bytewise.
    private static func renderLabels(_ labels: [Label]) -> (strings: [UInt8], numbers: [UInt8]) {
        var stringKeys: [String] = []
        var stringValues: [String: [String]] = [:]
        var numberKeys: [String] = []
        var numberValues: [String: [(Int64, String)]] = [:]
        for label in labels {
            switch label.value {
            case .string(let value):
                if stringValues[label.key] == nil { stringKeys.append(label.key) }
                stringValues[label.key, default: []].append(value)
            case .number(let value, let unit):
                if numberValues[label.key] == nil { numberKeys.append(label.key) }
                numberValues[label.key, default: []].append((value, unit))
            }
        }
        var stringEntries: [[UInt8]] = []
        for key in stringKeys {
            var entry = ByteWriter()
            entry.append(key)
            entry.append(":[")
            for (i, value) in (stringValues[key] ?? []).enumerated() {
                if i > 0 { entry.append(" ") }
                entry.append(value)
            }
            entry.append("]")
            stringEntries.append(entry.bytes)
        }
        var numberEntries: [[UInt8]] = []
        for key in numberKeys {
            let values = numberValues[key] ?? []
            let withUnits = values.contains { !$0.1.isEmpty }
            var entry = ByteWriter()
            entry.append(key)
            entry.append(":[")
            for (i, (value, unit)) in values.enumerated() {
                if i > 0 { entry.append(" ") }
                entry.appendDecimal(value)
                if withUnits {
                    entry.append(" ")
                    entry.append(unit)
                }
            }
            entry.append("]")
            numberEntries.append(entry.bytes)
        }
        return (joinSorted(stringEntries), joinSorted(numberEntries))
    }

    private static func joinSorted(_ entries: [[UInt8]]) -> [UInt8] {
        let sorted = entries.sorted { $0.lexicographicallyPrecedes($1) }
        var joined: [UInt8] = []
        for (i, entry) in sorted.enumerated() {
            if i > 0 { joined.append(UInt8(ascii: " ")) }
            joined.append(contentsOf: entry)
        }
        return joined
    }

    private func appendLocation(_ location: Location, to out: inout ByteWriter) {
        var prefix = ByteWriter()
        prefix.appendDecimal(location.id, width: 6)
        prefix.append(": ")
        prefix.appendHex(location.address)
        prefix.append(" ")
        if let m = location.mapping {
            prefix.append("M=")
            prefix.appendDecimal(mappings.indices.contains(m) ? mappings[m].id : 0)
            prefix.append(" ")
        }
        if location.isFolded { prefix.append("[F] ") }
        if location.lines.isEmpty {
            out.append(prefix.bytes)
            out.newline()
            return
        }
        for (i, line) in location.lines.enumerated() {
            if i == 0 {
                out.append(prefix.bytes)
            } else {
                out.append("             ")
            }
            if let f = line.function, functions.indices.contains(f) {
                let function = functions[f]
                out.append(function.name)
                out.append(" ")
                out.append(function.filename)
                out.append(":")
                out.appendDecimal(line.line)
                out.append(":")
                out.appendDecimal(line.column)
                out.append(" s=")
                out.appendDecimal(function.startLine)
                if function.name != function.systemName {
                    out.append("(")
                    out.append(function.systemName)
                    out.append(")")
                }
            } else {
                out.append("??")
            }
            out.newline()
        }
    }
}

/// Appends text and Go-style numbers to a byte buffer; cheaper than string interpolation.
package struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }
    mutating func newline() { bytes.append(10) }
    mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func append(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    /// Appends `b` without its trailing spaces (Go's `strings.TrimSpace` on a header that
    /// only ever ends in the separators we added; leading spaces are trimmed too).
    mutating func appendTrimmingSpaces(_ b: [UInt8]) {
        var start = 0
        var end = b.count
        while start < end, isGoSpace(b[start]) { start += 1 }
        while end > start, isGoSpace(b[end - 1]) { end -= 1 }
        bytes.append(contentsOf: b[start..<end])
    }

    private func isGoSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }

    /// `%d`, right-aligned in `width` columns (`%10d`, `%6d`).
    mutating func appendDecimal(_ v: Int64, width: Int = 0) {
        appendDigits(v.magnitude, negative: v < 0, width: width)
    }

    mutating func appendDecimal(_ v: UInt64, width: Int = 0) {
        appendDigits(v, negative: false, width: width)
    }

    private mutating func appendDigits(_ value: UInt64, negative: Bool, width: Int) {
        // 20 digits and a sign, written backwards into a fixed buffer.
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            var i = raw.count
            var magnitude = value
            repeat {
                i -= 1
                raw[i] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if negative {
                i -= 1
                raw[i] = UInt8(ascii: "-")
            }
            let length = raw.count - i
            if length < width {
                bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - length))
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i...]))
        }
    }

    /// `%#x`: `0x` and lowercase hex digits, `0x0` for zero.
    mutating func appendHex(_ v: UInt64) {
        bytes.append(UInt8(ascii: "0"))
        bytes.append(UInt8(ascii: "x"))
        var shift = 60
        while shift > 0 && (v >> UInt64(shift)) & 0xf == 0 { shift -= 4 }
        while shift >= 0 {
            let nibble = UInt8((v >> UInt64(shift)) & 0xf)
            bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            shift -= 4
        }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// Go's `time.Duration.String()` and `time.Time.String()` renderings.
enum GoTimeFormat {
    /// `time.Duration(nanos).String()`, cut to `maxRunes` characters as `%.Nv` does.
    static func durationString(_ nanos: Int64, maxRunes: Int? = nil) -> String {
        let full = durationString(nanos)
        guard let maxRunes else { return full }
        return String(String.UnicodeScalarView(full.unicodeScalars.prefix(maxRunes)))
    }

    static func durationString(_ nanos: Int64) -> String {
        if nanos == 0 { return "0s" }
        var u = nanos.magnitude
        let negative = nanos < 0
        var text = ""
        if u < 1_000_000_000 {
            let (precision, unit): (Int, String)
            if u < 1_000 {
                return (negative ? "-" : "") + String(u) + "ns"
            } else if u < 1_000_000 {
                (precision, unit) = (3, "µs")
            } else {
                (precision, unit) = (6, "ms")
            }
            let (fraction, rest) = fractionDigits(u, precision: precision)
            text = String(rest) + fraction + unit
        } else {
            let (fraction, secondsTotal) = fractionDigits(u, precision: 9)
            u = secondsTotal
            text = String(u % 60) + fraction + "s"
            u /= 60
            if u > 0 {
                text = String(u % 60) + "m" + text
                u /= 60
                if u > 0 {
                    text = String(u) + "h" + text
                }
            }
        }
        return negative ? "-" + text : text
    }

    /// The `.ddd` part of `v / 10^precision` without trailing zeros ("" when it is whole),
    /// and the whole part.
    private static func fractionDigits(_ v: UInt64, precision: Int) -> (String, UInt64) {
        var value = v
        var digits: [Character] = []
        var printing = false
        for _ in 0..<precision {
            let digit = value % 10
            printing = printing || digit != 0
            if printing { digits.append(Character(String(digit))) }
            value /= 10
        }
        if digits.isEmpty { return ("", value) }
        return ("." + String(digits.reversed()), value)
    }

    /// `time.Unix(0, nanos).String()` in the process's local time zone, e.g.
    /// `2026-11-27 11:05:21.123456789 +0000 UTC`.
    static func localTimeString(unixNanos: Int64) -> String {
        let zone = TimeZone.current
        let seconds = unixNanos.dividedReportingOverflow(by: 1_000_000_000).partialValue
        var nanos = unixNanos - seconds &* 1_000_000_000
        var wholeSeconds = seconds
        if nanos < 0 {
            nanos += 1_000_000_000
            wholeSeconds -= 1
        }
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wholeSeconds)))
        let local = wholeSeconds &+ Int64(offset)
        // Civil date from days since the epoch (proleptic Gregorian).
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text = "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        if nanos != 0 {
            var digits = String(nanos)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        let sign = offset < 0 ? "-" : "+"
        let absOffset = abs(offset)
        text += " \(sign)\(two(Int64(absOffset / 3600)))\(two(Int64(absOffset / 60 % 60)))"
        let abbreviation: String
        if offset == 0 {
            abbreviation = "UTC"
        } else {
            abbreviation = zone.abbreviation(for: Date(timeIntervalSince1970: TimeInterval(wholeSeconds))) ?? ""
        }
        return text + " " + abbreviation
    }

    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
