import Foundation
import Yams
import LeakscopeWatchRules

/// Typed reads of YAML nodes; each failure names the node's line and the field's path.
struct Reader {
    let file: String

    func error(_ node: Node, _ field: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node.mark?.line, field: field.isEmpty ? nil : field, message)
    }

    /// A mapping's entries in order, keys as strings.
    func mapping(_ node: Node, _ field: String) throws(ConfigError) -> [(String, Node)] {
        guard case .mapping(let mapping) = node else { throw error(node, field, "expected a mapping (key: value lines)") }
        var out: [(String, Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else { throw error(key, field, "keys must be plain words") }
            if out.contains(where: { $0.0 == scalar.string }) {
                throw error(key, path(field, scalar.string), "given twice")
            }
            out.append((scalar.string, value))
        }
        return out
    }

    func onlyKeys(_ entries: [(String, Node)], _ allowed: [String], at field: String, nodes: Node? = nil) throws(ConfigError) {
        for (key, value) in entries where !allowed.contains(key) {
            let close = allowed.first { Self.distance($0, key) <= 2 }
            throw ConfigError(file: file, line: (value.mark?.line), field: path(field, key),
                              "unknown key" + (close.map { " (did you mean '\($0)'?)" } ?? "; known: " + allowed.joined(separator: ", ")))
        }
    }

    func sequence(_ node: Node, _ field: String) throws(ConfigError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw error(node, field, "expected a list (- item lines)") }
        return Array(sequence)
    }

    func string(_ node: Node, _ field: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node else { throw error(node, field, "expected a single value") }
        return scalar.string
    }

    func number(_ node: Node, _ field: String, minimum: Double? = nil) throws(ConfigError) -> Double {
        let text = try string(node, field)
        guard let value = Double(text), value.isFinite else { throw error(node, field, "expected a number, not '\(text)'") }
        if let minimum, value < minimum { throw error(node, field, "must be at least \(Self.plain(minimum))") }
        return value
    }

    func integer(_ node: Node, _ field: String, minimum: Int, maximum: Int = 1_000_000) throws(ConfigError) -> Int {
        let text = try string(node, field)
        guard let value = Int(text) else { throw error(node, field, "expected a whole number, not '\(text)'") }
        guard value >= minimum, value <= maximum else {
            throw error(node, field, "must be between \(minimum) and \(maximum), not \(value)")
        }
        return value
    }

    func bool(_ node: Node, _ field: String) throws(ConfigError) -> Bool {
        switch try string(node, field).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let text: throw error(node, field, "expected true or false, not '\(text)'")
        }
    }

    func duration(_ node: Node, _ field: String, minimum: Double = 0) throws(ConfigError) -> Double {
        let text = try string(node, field)
        guard let seconds = ConfigValues.duration(text) else {
            throw error(node, field, "expected a duration such as 15s, 500ms, 1m30s or 2h, not '\(text)'")
        }
        guard seconds >= minimum else { throw error(node, field, "must be at least \(Self.plain(minimum))s") }
        return seconds
    }

    /// A count of samples (`3`) or a duration (`45s`).
    func span(_ node: Node, _ field: String) throws(ConfigError) -> Rule.Span {
        let text = try string(node, field)
        if let count = Int(text) {
            guard count >= 1, count <= 10_000 else { throw error(node, field, "a sample count must be between 1 and 10000") }
            return .samples(count)
        }
        guard let seconds = ConfigValues.duration(text), seconds > 0 else {
            throw error(node, field, "expected a number of samples (3) or a duration (45s), not '\(text)'")
        }
        return .seconds(seconds)
    }

    func url(_ node: Node, _ field: String) throws(ConfigError) -> String {
        let text = try string(node, field)
        guard text.hasPrefix("http://") || text.hasPrefix("https://"), text.count > 8 else {
            throw error(node, field, "expected an http:// or https:// URL, not '\(text)'")
        }
        return text
    }

    /// `{url: …}` (or just the URL).
    func urlBlock(_ node: Node, _ field: String) throws(ConfigError) -> String {
        if case .scalar = node { return try url(node, field) }
        let entries = try mapping(node, field)
        try onlyKeys(entries, ["url"], at: field)
        guard let value = entries.first(where: { $0.0 == "url" })?.1 else { throw error(node, field, "needs a url") }
        return try url(value, path(field, "url"))
    }

    func listen(_ node: Node, _ field: String) throws(ConfigError) -> WatchConfig.Listen {
        let text = try string(node, field)
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              port >= 0, port <= 65535
        else {
            throw error(node, field, "expected HOST:PORT such as 127.0.0.1:7070, not '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return .init(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    func labels(_ node: Node, _ field: String) throws(ConfigError) -> [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in try mapping(node, field) {
            guard Self.isLabelName(key) else {
                throw error(value, path(field, key), "a label name is letters, digits and _ and does not start with a digit")
            }
            guard key != "alertname", key != "target" else {
                throw error(value, path(field, key), "'\(key)' is set by leakscope and cannot be a target label")
            }
            labels[key] = try string(value, path(field, key))
        }
        return labels
    }

    func target(_ node: Node, _ field: String) throws(ConfigError) -> WatchConfig.Target {
        if case .scalar = node { return .init(url: try url(node, field)) }
        let entries = try mapping(node, field)
        try onlyKeys(entries, ["url", "labels", "prefix", "metrics_path", "headers", "insecure", "ca_file", "timeout",
                               "sidecar"], at: field)
        var target = WatchConfig.Target(url: "")
        for (key, value) in entries {
            let at = path(field, key)
            switch key {
            case "url": target.url = try url(value, at)
            case "labels": target.labels = try labels(value, at)
            case "prefix": target.prefix = try string(value, at)
            case "metrics_path":
                let text = try string(value, at)
                target.metricsPath = text == "none" ? nil : (text.hasPrefix("/") ? text : "/" + text)
            case "headers":
                for (name, header) in try mapping(value, at) { target.headers[name] = try string(header, path(at, name)) }
            case "insecure": target.insecure = try bool(value, at)
            case "ca_file": target.caFile = try string(value, at)
            case "timeout": target.timeout = try duration(value, at, minimum: 0.01)
            case "sidecar":
                if try bool(value, at), target.url.isEmpty { target.url = "http://localhost:6060" }
            default: break
            }
        }
        guard !target.url.isEmpty else { throw error(node, field, "needs a url (or sidecar: true)") }
        return target
    }

    func rule(_ node: Node, _ field: String) throws(ConfigError) -> Rule {
        let entries = try mapping(node, field)
        try onlyKeys(entries, ["name", "metric", "above", "growth_per_minute", "increase_per_minute", "over_baseline",
                               "min_increase", "rising", "window", "warmup", "for", "cooldown", "resolve_after",
                               "hysteresis", "severity"], at: field)
        guard let name = entries.first(where: { $0.0 == "name" }) else { throw error(node, field, "needs a name") }
        guard let metric = entries.first(where: { $0.0 == "metric" }) else { throw error(node, field, "needs a metric") }
        var rule = Rule(name: try string(name.1, path(field, "name")), metric: try string(metric.1, path(field, "metric")))
        guard Self.isLabelName(rule.name) else {
            throw error(name.1, path(field, "name"), "a rule name is letters, digits and _ (it becomes alertname)")
        }
        for (key, value) in entries {
            let at = path(field, key)
            switch key {
            case "above": rule.above = try number(value, at)
            case "growth_per_minute":
                let text = try string(value, at)
                guard let fraction = ConfigValues.fraction(text), fraction > 0 else {
                    throw error(value, at, "expected a positive percentage such as 15%, not '\(text)'")
                }
                rule.growthPerMinute = fraction
            case "increase_per_minute": rule.increasePerMinute = try number(value, at, minimum: 0)
            case "over_baseline":
                let ratio = try number(value, at)
                guard ratio > 1 else { throw error(value, at, "a ratio to the baseline must be above 1 (3 means 3×)") }
                rule.overBaseline = ratio
            case "min_increase":
                let text = try string(value, at)
                guard let amount = rule.metric.hasSuffix("_bytes") ? ConfigValues.size(text) : Double(text), amount >= 0 else {
                    throw error(value, at, "expected a non-negative amount (sizes such as 16MB for *_bytes metrics), not '\(text)'")
                }
                rule.minIncrease = amount
            case "rising": rule.rising = try bool(value, at)
            case "window":
                rule.window = try span(value, at)
                if case .samples(let n) = rule.window, n < 3 {
                    throw error(value, at, "a window needs at least 3 samples to fit a rate")
                }
            case "warmup": rule.warmup = try span(value, at)
            case "for": rule.forSpan = try span(value, at)
            case "cooldown": rule.cooldownSeconds = try duration(value, at)
            case "resolve_after": rule.resolveAfter = try integer(value, at, minimum: 1, maximum: 10_000)
            case "hysteresis":
                let text = try string(value, at)
                guard let fraction = ConfigValues.fraction(text), fraction >= 0, fraction < 1 else {
                    throw error(value, at, "expected a share below 100% such as 20%, not '\(text)'")
                }
                rule.hysteresis = fraction
            case "severity":
                let text = try string(value, at)
                guard let severity = Rule.Severity(rawValue: text) else {
                    throw error(value, at, "expected critical, warning or info, not '\(text)'")
                }
                rule.severity = severity
            default: break
            }
        }
        guard rule.hasCondition else {
            throw error(node, field, "sets no condition: give at least one of above, growth_per_minute, increase_per_minute, over_baseline, min_increase, rising")
        }
        return rule
    }

    func capture(_ node: Node, _ field: String) throws(ConfigError) -> WatchConfig.Capture {
        var capture = WatchConfig.Capture()
        let entries = try mapping(node, field)
        try onlyKeys(entries, ["enabled", "directory", "snapshots", "snapshot_interval", "cpu_seconds", "trace_seconds", "goroutine_ceiling",
                               "cooldown", "max_concurrent", "timeout"], at: field)
        for (key, value) in entries {
            let at = path(field, key)
            switch key {
            case "enabled": capture.enabled = try bool(value, at)
            case "directory": capture.directory = try string(value, at)
            case "snapshots": capture.snapshots = try integer(value, at, minimum: 1, maximum: 10)
            case "snapshot_interval": capture.snapshotInterval = try duration(value, at)
            case "cpu_seconds": capture.cpuSeconds = try integer(value, at, minimum: 0, maximum: 60)
            case "trace_seconds": capture.traceSeconds = try integer(value, at, minimum: 0, maximum: 60)
            case "goroutine_ceiling": capture.goroutineCeiling = try integer(value, at, minimum: 0, maximum: 100_000_000)
            case "cooldown": capture.cooldownSeconds = try duration(value, at)
            case "max_concurrent": capture.maxConcurrent = try integer(value, at, minimum: 1, maximum: 64)
            case "timeout": capture.timeout = try duration(value, at, minimum: 0.1)
            default: break
            }
        }
        return capture
    }

    func poll(_ node: Node, _ field: String) throws(ConfigError) -> WatchConfig.Poll {
        var poll = WatchConfig.Poll()
        let entries = try mapping(node, field)
        try onlyKeys(entries, ["concurrency", "timeout", "max_backoff", "max_bytes"], at: field)
        for (key, value) in entries {
            let at = path(field, key)
            switch key {
            case "concurrency": poll.concurrency = try integer(value, at, minimum: 1, maximum: 10_000)
            case "timeout": poll.timeout = try duration(value, at, minimum: 0.01)
            case "max_backoff": poll.maxBackoff = try duration(value, at)
            case "max_bytes":
                let text = try string(value, at)
                guard let bytes = ConfigValues.size(text), bytes >= 1024 else {
                    throw error(value, at, "expected a size of at least 1kB such as 4MB, not '\(text)'")
                }
                poll.maxBytes = Int(min(bytes, Double(1 << 30)))
            default: break
            }
        }
        return poll
    }

    func shard(_ node: Node, _ field: String) throws(ConfigError) -> WatchConfig.Shard {
        var shard = WatchConfig.Shard()
        let entries = try mapping(node, field)
        try onlyKeys(entries, ["id", "lease"], at: field)
        for (key, value) in entries {
            let at = path(field, key)
            switch key {
            case "id":
                let id = try string(value, at)
                guard !id.isEmpty, id.count <= 200 else { throw error(value, at, "give a non-empty name of at most 200 characters") }
                shard.id = id
            case "lease": shard.leaseSeconds = try duration(value, at, minimum: 1)
            default: break
            }
        }
        return shard
    }

    func silence(_ node: Node, _ field: String) throws(ConfigError) -> Silence {
        let entries = try mapping(node, field)
        try onlyKeys(entries, ["matchers", "starts", "ends", "comment", "created_by"], at: field)
        var matchers: [String: String] = [:]
        var starts = 0.0
        var ends: Double?
        var comment = "", createdBy = "config"
        for (key, value) in entries {
            let at = path(field, key)
            switch key {
            case "matchers":
                for (name, item) in try mapping(value, at) {
                    guard Self.isLabelName(name) else {
                        throw error(item, path(at, name), "a label name is letters, digits and _ and does not start with a digit")
                    }
                    matchers[name] = try string(item, path(at, name))
                }
            case "starts": starts = try time(value, at)
            case "ends": ends = try time(value, at)
            case "comment": comment = try string(value, at)
            case "created_by": createdBy = try string(value, at)
            default: break
            }
        }
        guard let ends else { throw error(node, path(field, "ends"), "a silence needs an end time (RFC 3339, such as 2026-12-03T20:00:00Z)") }
        if let problem = Silence.problem(matchers: matchers, startsAt: starts, endsAt: ends) {
            throw error(node, field, problem)
        }
        return Silence(matchers: matchers, startsAt: starts, endsAt: ends, comment: comment, createdBy: createdBy)
    }

    /// An RFC 3339 time, as seconds since 1970.
    func time(_ node: Node, _ field: String) throws(ConfigError) -> Double {
        let text = try string(node, field)
        guard let seconds = Silence.parseTime(text) else {
            throw error(node, field, "expected an RFC 3339 time such as 2026-12-03T20:00:00Z, not '\(text)'")
        }
        return seconds
    }

    func downsample(_ node: Node, _ field: String) throws(ConfigError) -> WatchConfig.Downsample {
        var downsample = WatchConfig.Downsample()
        let entries = try mapping(node, field)
        try onlyKeys(entries, ["after", "step"], at: field)
        for (key, value) in entries {
            let at = path(field, key)
            switch key {
            case "after": downsample.afterSeconds = try duration(value, at)
            case "step": downsample.stepSeconds = try duration(value, at, minimum: 1)
            default: break
            }
        }
        return downsample
    }

    func path(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : parent + "." + key }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func plain(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }

    /// Edit distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
