import LeakscopeProfile

/// A decoded profile with where it came from and when it was taken.
public struct TimedProfile: Sendable {
    /// File name or endpoint, for evidence lines.
    public var name: String
    public var profile: Profile
    /// Wall time in seconds since the Unix epoch: the profile's own `time_nanos` when set,
    /// else the capture manifest's time, else nil.
    public var time: Double?

    public init(name: String, profile: Profile, time: Double? = nil) {
        self.name = name
        self.profile = profile
        self.time = time ?? (profile.timeNanos > 0 ? Double(profile.timeNanos) / 1e9 : nil)
    }
}
