import LeakscopeProfile

/// A decoded profile with where it came from and when it was taken.
public struct TimedProfile: Sendable {
    /// File name or endpoint, for evidence lines.
    public var name: String
    public var profile: Profile
    /// Wall time in seconds since the Unix epoch: the `time` given, else the profile's own
    /// `time_nanos` when set, else nil. (`DiagnosisInput` passes a capture time only for
    /// profiles without `time_nanos`, so the embedded time wins there.)
    public var time: Double?

    public init(name: String, profile: Profile, time: Double? = nil) {
        self.name = name
        self.profile = profile
        self.time = time ?? (profile.timeNanos > 0 ? Double(profile.timeNanos) / 1e9 : nil)
    }
}
