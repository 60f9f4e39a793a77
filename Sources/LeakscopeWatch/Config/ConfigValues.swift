import Foundation

/// Scalars a config spells in words: Go-style durations, percentages, sizes.
enum ConfigValues {
    /// `15s`, `500ms`, `1m30s`, `2h`, `7d` → seconds; nil when not a duration with units.
    static func duration(_ text: String) -> Double? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter || $0 == "µ" }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            case "d": scale = 86400
            default: return nil
            }
            total += value * scale
        }
        return total.isFinite ? total : nil
    }

    /// `15%` → 0.15; a plain number is taken as it is (`0.15`).
    static func fraction(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            return Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 }
        }
        return Double(trimmed)
    }

    /// `16MB`, `16 MiB`, `512kB`, `1GB`, a plain number of bytes → bytes (1024-based, as Go's tools say sizes).
    static func size(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(number) else { return nil }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        let k = 1024.0
        let scales: [String: Double] = ["": 1, "b": 1, "kb": k, "kib": k, "mb": k * k, "mib": k * k,
                                        "gb": k * k * k, "gib": k * k * k, "tb": k * k * k * k, "tib": k * k * k * k]
        guard let scale = scales[unit] else { return nil }
        return value * scale
    }
}

