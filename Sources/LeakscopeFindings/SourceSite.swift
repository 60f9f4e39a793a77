/// A place in source code: a frame or a `created by` line.
public struct SourceSite: Hashable, Sendable, Codable {
    /// The Go function as printed, such as `main.(*Poller).watch`.
    public var function: String
    /// The source file path as the input gave it.
    public var file: String
    /// The line in `file`; 0 when unknown.
    public var line: Int

    /// A site from its three parts.
    public init(function: String, file: String, line: Int) {
        self.function = function
        self.file = file
        self.line = line
    }

    /// `function (file:line)`, with the file shortened to its last two path elements.
    public var short: String { "\(function) (\(SourceSite.shortFile(file)):\(line))" }

    /// The last two path elements of `file` (`queue/consumer.go`), enough to find it in a
    /// repository without the build machine's prefix.
    public static func shortFile(_ file: String) -> String {
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count <= 2 ? file : parts.suffix(2).joined(separator: "/")
    }
}
