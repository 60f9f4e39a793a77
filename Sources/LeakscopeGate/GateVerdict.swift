/// The outcome of a gate (the JSON `verdict`). `fail` beats `inconclusive` beats `pass` when
/// results are combined.
public enum GateVerdict: String, Sendable, Hashable, Codable, Comparable {
    case pass, inconclusive, fail

    private var order: Int { self == .pass ? 0 : self == .inconclusive ? 1 : 2 }
    public static func < (a: GateVerdict, b: GateVerdict) -> Bool { a.order < b.order }

    /// The worst of `verdicts` (pass when empty).
    public static func combine(_ verdicts: [GateVerdict]) -> GateVerdict { verdicts.max() ?? .pass }

    /// The process exit status the contract gives this verdict: 0 pass, 1 fail, and 3 for
    /// inconclusive only when the caller asked to fail on it (else 0).
    public func exitCode(failOnInconclusive: Bool) -> Int32 {
        switch self {
        case .pass: return 0
        case .fail: return 1
        case .inconclusive: return failOnInconclusive ? 3 : 0
        }
    }
}
