/// A config that cannot be used: names the file, the line and the field, in one line.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based; nil when the problem is not at one place (a missing file).
    public var line: Int?
    /// The field's path, such as `rules[1].growth_per_minute`.
    public var field: String?
    public var message: String

    public init(file: String, line: Int?, field: String?, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let field { text += ": \(field)" }
        return text + ": " + message
    }
}
