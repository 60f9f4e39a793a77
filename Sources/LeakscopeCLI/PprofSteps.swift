import LeakscopeAnalysis
import LeakscopeProfile

/// The library calls behind `leakscope pprof`, in one place: decode, combine, transform, render.
enum PprofSteps {
    static func parse(_ bytes: [UInt8], source: String) throws(CLIError) -> Profile {
        do {
            return try Profile.parse(bytes)
        } catch {
            throw CLIError(error.from(source).description)
        }
    }

    static func report(sources: [Profile], bases: [Profile], invocation: PprofInvocation) throws(CLIError) -> [UInt8] {
        // Wired to PprofReport and FlameGraph as soon as the report pipeline is on main.
        throw CLIError("reports are not available yet")
    }
}
