/// A place in source code: a frame or a `created by` line.
public struct SourceSite: Hashable, Sendable, Codable {
    public var function: String
    public var file: String
    public var line: Int

    public init(function: String, file: String, line: Int) {
        self.function = function
        self.file = file
        self.line = line
    }

    /// `function (file:line)`, with the file shortened to its last two path elements.
    public var short: String { "\(function) (\(SourceSite.shortFile(file)):\(line))" }

    public static func shortFile(_ file: String) -> String {
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count <= 2 ? file : parts.suffix(2).joined(separator: "/")
    }
}
