import Foundation

/// A command-line parser with the rules of Go's `flag` package, so that command lines written
/// for `go tool pprof` parse the same way here.
///
/// Go's rules: a flag is `-name` or `--name` (the two are the same); a value is given as
/// `-name=value` or, except for booleans, as the next argument `-name value` (even if that
/// argument starts with a dash); booleans are `-name`, `-name=true` or `-name=false`; `--` ends
/// the flags. Unlike Go, flags may also follow positional arguments (`pprof heap.pb.gz -top`),
/// which Go would read as a second file name.
struct GoFlagSet: Sendable {
    enum Kind: Sendable, Equatable {
        case bool
        case int
        case float
        case string
    }

    struct Definition: Sendable {
        var name: String
        var kind: Kind
        /// Placeholder for the value in usage text (`-focus regexp`), empty for booleans.
        var valueName: String
        var usage: String
    }

    /// One flag as it was set on the command line, value already checked against its kind.
    struct Setting: Sendable, Equatable {
        var name: String
        var value: Value
    }

    enum Value: Sendable, Equatable {
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
    }

    struct Result: Sendable, Equatable {
        /// Flags in command-line order; a flag given twice appears twice.
        var settings: [Setting] = []
        var positionals: [String] = []
    }

    /// The ways parsing can end other than with a result; messages are Go's, word for word.
    enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case helpRequested
        case notDefined(String)
        case needsArgument(String)
        case badSyntax(String)
        case invalidBool(flag: String, value: String)
        case invalidValue(flag: String, value: String, reason: String)

        var description: String {
            switch self {
            case .helpRequested: return "flag: help requested"
            case .notDefined(let name): return "flag provided but not defined: -\(name)"
            case .needsArgument(let name): return "flag needs an argument: -\(name)"
            case .badSyntax(let argument): return "bad flag syntax: \(argument)"
            case .invalidBool(let name, let value): return "invalid boolean value \(goQuoted(value)) for -\(name): parse error"
            case .invalidValue(let name, let value, let reason):
                return "invalid value \(goQuoted(value)) for flag -\(name): \(reason)"
            }
        }
    }

    private(set) var definitions: [Definition] = []
    private var indexByName: [String: Int] = [:]

    init(_ definitions: [Definition]) {
        for definition in definitions { define(definition) }
    }

    mutating func define(_ definition: Definition) {
        if let existing = indexByName[definition.name] {
            definitions[existing] = definition
        } else {
            indexByName[definition.name] = definitions.count
            definitions.append(definition)
        }
    }

    func definition(named name: String) -> Definition? {
        indexByName[name].map { definitions[$0] }
    }

    func parse(_ arguments: [String]) throws(Failure) -> Result {
        var result = Result()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            let bytes = Array(argument.utf8)
            // "-" alone and anything not starting with a dash are positional.
            guard bytes.count >= 2, bytes[0] == UInt8(ascii: "-") else {
                result.positionals.append(argument)
                continue
            }
            var dashes = 1
            if bytes[1] == UInt8(ascii: "-") {
                dashes = 2
                if bytes.count == 2 {  // "--": everything after is positional
                    result.positionals.append(contentsOf: arguments[index...])
                    break
                }
            }
            let body = argument.dropFirst(dashes)
            guard let first = body.first, first != "-", first != "=" else {
                throw .badSyntax(argument)
            }
            let name: String
            let inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
                inlineValue = nil
            }
            guard let definition = definition(named: name) else {
                if name == "help" || name == "h" { throw .helpRequested }
                throw .notDefined(name)
            }
            if definition.kind == .bool {
                let text = inlineValue ?? "true"
                guard let value = Self.parseGoBool(text) else { throw .invalidBool(flag: name, value: text) }
                result.settings.append(Setting(name: name, value: .bool(value)))
                continue
            }
            let text: String
            if let inlineValue {
                text = inlineValue
            } else if index < arguments.count {
                text = arguments[index]
                index += 1
            } else {
                throw .needsArgument(name)
            }
            result.settings.append(Setting(name: name, value: try Self.convert(text, to: definition.kind, flag: name)))
        }
        return result
    }

    private static func convert(_ text: String, to kind: Kind, flag: String) throws(Failure) -> Value {
        switch kind {
        case .bool:
            guard let value = parseGoBool(text) else { throw .invalidBool(flag: flag, value: text) }
            return .bool(value)
        case .string:
            return .string(text)
        case .int:
            switch parseGoInt(text) {
            case .value(let value): return .int(value)
            case .outOfRange: throw .invalidValue(flag: flag, value: text, reason: "value out of range")
            case .syntax: throw .invalidValue(flag: flag, value: text, reason: "parse error")
            }
        case .float:
            guard let value = parseGoFloat(text) else {
                throw .invalidValue(flag: flag, value: text, reason: "parse error")
            }
            // Go's ParseFloat reports overflow (1e400) as out of range; only the words give infinity.
            if value.isInfinite && !text.lowercased().contains("inf") {
                throw .invalidValue(flag: flag, value: text, reason: "value out of range")
            }
            return .float(value)
        }
    }

    /// Go's `strconv.ParseBool`.
    static func parseGoBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    enum IntParse: Equatable {
        case value(Int)
        case syntax
        case outOfRange
    }

    /// Go's `strconv.ParseInt(text, 0, 64)`: optional sign, `0x`/`0o`/`0b`/leading-`0` prefixes,
    /// underscores between digits when a prefix is present.
    static func parseGoInt(_ text: String) -> IntParse {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix = 10
        var prefixed = false
        let lower = digits.lowercased()
        if lower.hasPrefix("0x") { radix = 16; digits = digits.dropFirst(2); prefixed = true }
        else if lower.hasPrefix("0o") { radix = 8; digits = digits.dropFirst(2); prefixed = true }
        else if lower.hasPrefix("0b") { radix = 2; digits = digits.dropFirst(2); prefixed = true }
        else if digits.count > 1, digits.first == "0" { radix = 8; digits = digits.dropFirst(); prefixed = true }
        // Go allows underscores only with base 0 and only between digits (or after the prefix).
        if digits.contains("_") {
            guard prefixed || radix == 10 else { return .syntax }
            if digits.hasSuffix("_") || digits.contains("__") || (!prefixed && digits.hasPrefix("_")) { return .syntax }
            digits = Substring(digits.replacingOccurrences(of: "_", with: ""))
        }
        guard !digits.isEmpty else { return .syntax }
        var magnitude: UInt64 = 0
        for character in digits {
            guard let digit = character.hexDigitValue, digit < radix else { return .syntax }
            let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: UInt64(radix))
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(digit))
            if overflowA || overflowB { return .outOfRange }
            magnitude = sum
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return .outOfRange }
            return .value(magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude))
        }
        if magnitude > UInt64(Int64.max) { return .outOfRange }
        return .value(Int(magnitude))
    }

    /// Close to Go's `strconv.ParseFloat(text, 64)`: decimal and hex floats, `inf`, `nan`.
    static func parseGoFloat(_ text: String) -> Double? {
        let cleaned = text.contains("_") ? text.replacingOccurrences(of: "_", with: "") : text
        switch cleaned.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return nil }
        return Double(cleaned)
    }
}

/// Go's `%q` for the common cases: double quotes, backslash escapes for quotes, backslashes and
/// control characters.
func goQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
