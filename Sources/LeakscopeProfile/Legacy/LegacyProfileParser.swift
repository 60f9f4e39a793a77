/// Reads the legacy (pre-proto) profile formats `go tool pprof` still accepts.
/// Owned by the legacy-formats work; this placeholder recognises nothing yet.
public enum LegacyProfileParser {
    /// Parses `bytes` as one of the legacy formats, or throws `ProfileError` of kind
    /// `.unrecognized` when it is none of them.
    public static func parse(_ bytes: [UInt8]) throws(ProfileError) -> Profile {
        throw ProfileError(.unrecognized, "unrecognized profile format")
    }
}
