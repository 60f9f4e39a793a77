import LeakscopeAnalysis
import LeakscopeProfile

/// The library calls behind `leakscope pprof`, in one place: decode, combine, transform, render.
/// Placeholder until the codec, report and flame work land on main.
enum PprofSteps {
    static func parse(_ bytes: [UInt8], source: String) throws(CLIError) -> Profile {
        do {
            return try LegacyProfileParser.parse(bytes)
        } catch {
            throw CLIError(error.from(source).description)
        }
    }

    static func report(sources: [Profile], bases: [Profile], invocation: PprofInvocation) throws(CLIError) -> [UInt8] {
        throw CLIError("reports are not available yet")
    }
}
