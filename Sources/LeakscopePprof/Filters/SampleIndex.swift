import LeakscopeProfile

/// A report option pprof rejects, worded as pprof words it.
public struct PprofReportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

enum SampleIndex {
    /// pprof's `SampleIndexByName`: "" = the default type, a number, or a type name
    /// (`inuse_` may be omitted for profiles whose types are `space`/`objects`).
    static func resolve(_ spec: String?, in profile: Profile) throws -> Int {
        let types = profile.sampleTypes
        if types.isEmpty { throw PprofReportError("profile has no samples") }
        guard let spec, !spec.isEmpty else {
            if !profile.defaultSampleType.isEmpty,
               let i = types.firstIndex(where: { $0.type == profile.defaultSampleType }) {
                return i
            }
            return types.count - 1
        }
        if let number = parseGoInt(spec) {
            if number < 0 || number >= types.count {
                throw PprofReportError("sample_index \(spec) is outside the range [0..\(types.count - 1)]")
            }
            return number
        }
        let noInuse = spec.hasPrefix("inuse_") ? String(spec.dropFirst(6)) : spec
        if let i = types.firstIndex(where: { $0.type == spec || $0.type == noInuse }) { return i }
        let names = types.map(\.type).joined(separator: " ")
        throw PprofReportError("sample_index \"\(spec)\" must be one of: [\(names)]")
    }

    /// Go's `strconv.Atoi`: optional sign, decimal digits only.
    static func parseGoInt(_ s: String) -> Int? {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard !body.isEmpty, body.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(s)
    }
}
