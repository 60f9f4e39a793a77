import Foundation

/// A silence: while it is active, alerts whose labels match every matcher are still evaluated and
/// stored (marked `silenced`), but not sent to Alertmanager or the webhook.
///
/// The labels matched are those an alert carries to Alertmanager: `alertname` (the rule), `target`
/// (the URL as configured), `severity`, and the target's own labels. A matcher's value is matched
/// exactly, or as a whole-string regular expression when written `~REGEX` (`~api-.*`).
public struct Silence: Sendable, Codable, Equatable {
    /// Assigned by the store (API silences); nil for silences from the config file.
    public var id: Int64?
    public var matchers: [String: String]
    /// Seconds since 1970.
    public var startsAt: Double
    public var endsAt: Double
    public var comment: String
    public var createdBy: String

    public init(id: Int64? = nil, matchers: [String: String], startsAt: Double, endsAt: Double, comment: String = "",
                createdBy: String = "") {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.comment = comment
        self.createdBy = createdBy
    }

    public func isActive(at time: Double) -> Bool { startsAt <= time && time < endsAt }

    /// Whether this silence, active at `time`, covers an alert with `labels`.
    public func matches(_ labels: [String: String], at time: Double) -> Bool {
        guard isActive(at: time), !matchers.isEmpty else { return false }
        return matchers.allSatisfy { name, expected in
            guard let value = labels[name] else { return false }
            guard expected.hasPrefix("~") else { return value == expected }
            guard let regex = try? Regex(String(expected.dropFirst())) else { return false }
            return (try? regex.wholeMatch(in: value)) != nil
        }
    }

    /// Checks what a config file or an API request gave; the message names the problem.
    public static func problem(matchers: [String: String], startsAt: Double, endsAt: Double) -> String? {
        if matchers.isEmpty { return "give at least one matcher (a silence matching everything is not allowed)" }
        for (name, value) in matchers where value.hasPrefix("~") {
            if (try? Regex(String(value.dropFirst()))) == nil { return "matchers.\(name): '\(value.dropFirst())' is not a valid regular expression" }
        }
        if endsAt <= startsAt { return "ends must be after starts" }
        return nil
    }
}

extension Silence {
    /// Parses RFC 3339 (`2026-12-03T20:00:00Z`, fractional seconds allowed) into seconds since 1970.
    public static func parseTime(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}
