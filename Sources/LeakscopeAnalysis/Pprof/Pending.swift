import LeakscopeProfile

// Bridges to LeakscopeProfile operations other helpers are landing
// (`Profile.merge`, `Profile.pprofString`); until then these report clearly.
enum PendingProfileOperations {
    static func merge(_ profiles: [Profile]) throws -> Profile {
        throw PprofReportError("merging profiles is not available yet")
    }
    static func pprofString(_ profile: Profile) throws -> String {
        throw PprofReportError("-raw is not available yet")
    }
}
