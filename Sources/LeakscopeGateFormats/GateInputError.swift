/// Input that a gate cannot read: which file, where in it, and what is wrong. Printed as one line
/// (`bench.txt:12: result line has an odd number of fields`); the CLI exits 2.
public struct GateInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or `<stdin>`).
    public var source: String
    /// 1-based line, when the problem has one.
    public var line: Int?
    /// The field or key at fault, when there is one (`p99`, `endpoints[1].error-rate`).
    public var field: String?
    /// What is wrong, in words.
    public var message: String

    /// An error at `source` (line and field when known).
    public init(source: String, line: Int? = nil, field: String? = nil, _ message: String) {
        self.source = source
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = source
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "\(field): " }
        return text + message
    }
}
