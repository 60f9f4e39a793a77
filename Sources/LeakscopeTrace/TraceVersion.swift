/// The trace format version from a trace's 16-byte header (`go 1.N trace\0\0\0`).
///
/// Go 1.22 through 1.27 write the generational format this module reads; its wire version is the Go
/// minor release that last changed it (Go 1.27 writes `go 1.26 trace`). Go 1.5–1.21 wrote an
/// older format with a different structure, which this reader rejects by name.
public struct TraceVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The minor version in the header: 22, 23, 25 or 26 for traces we read.
    public var minor: Int

    /// Versions of the generational format (Go 1.22+). 24 and 27 never appear in a header.
    public static let supported: [Int] = [22, 23, 25, 26]

    /// A version from its minor number.
    public init(minor: Int) { self.minor = minor }

    /// `go1.N`.
    public var description: String { "go1.\(minor)" }

    public static func < (a: TraceVersion, b: TraceVersion) -> Bool { a.minor < b.minor }

    /// The size of the header.
    public static let headerSize = 16

    /// Reads the header, or throws an error naming the version when the format is one we do not read.
    public static func parse(header bytes: some Collection<UInt8>) throws(TraceError) -> TraceVersion {
        let header = Array(bytes.prefix(headerSize))
        let prefix = Array("go 1.".utf8)
        guard header.count >= prefix.count, Array(header.prefix(prefix.count)) == prefix else {
            throw TraceError(offset: 0, "not a Go execution trace (no \"go 1.N trace\" header)")
        }
        var minor = 0
        var index = prefix.count
        while index < header.count, header[index] >= UInt8(ascii: "0"), header[index] <= UInt8(ascii: "9"), minor < 1000 {
            minor = minor * 10 + Int(header[index] - UInt8(ascii: "0"))
            index += 1
        }
        let rest = Array(" trace".utf8)
        guard index > prefix.count, header.count >= index + rest.count, Array(header[index..<index + rest.count]) == rest else {
            throw TraceError(offset: index, "not a Go execution trace (malformed \"go 1.N trace\" header)")
        }
        guard header.count == headerSize else {
            throw TraceError(offset: header.count, "truncated trace header")
        }
        if minor < 22 {
            throw TraceError(offset: 0, "trace format of Go 1.\(minor) is not supported; only traces from Go 1.22 and later "
                             + "(the generational format) can be read; take the trace with Go 1.22 or newer")
        }
        guard supported.contains(minor) else {
            throw TraceError(offset: 0, "unknown trace format version go 1.\(minor); this reader knows go 1.22, 1.23, 1.25 "
                             + "and 1.26 (written by Go 1.22 through 1.27)")
        }
        return TraceVersion(minor: minor)
    }
}
