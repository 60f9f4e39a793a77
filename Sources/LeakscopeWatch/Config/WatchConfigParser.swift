import Foundation
import Yams
import LeakscopeWatchRules

/// Reads a `WatchConfig` from YAML. Every problem is a `ConfigError` naming the line and the field;
/// unknown keys are errors too (a misspelt `interal:` must not silently mean the default).
public enum WatchConfigParser {
    public static func load(path: String) throws(ConfigError) -> WatchConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, field: nil, "cannot read the file")
        }
        guard data.count <= 4 << 20 else { throw ConfigError(file: path, line: nil, field: nil, "larger than 4 MB") }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> WatchConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: file, line: yamlLine(error, text: text), field: nil, "not valid YAML: \(yamlProblem(error))")
        } catch {
            throw ConfigError(file: file, line: nil, field: nil, "not valid YAML")
        }
        var config = WatchConfig()
        guard let root else { return config }
        let reader = Reader(file: file)
        let top = try reader.mapping(root, "config")
        try reader.onlyKeys(top, ["interval", "store", "listen", "targets", "file_sd", "alertmanager", "webhook", "rules",
                                  "capture", "poll", "retention", "external_url", "token"], at: "")
        for (key, value) in top {
            switch key {
            case "interval":
                config.interval = try reader.duration(value, key, minimum: 0.05)
            case "store":
                let text = try reader.string(value, key)
                if text.hasPrefix("sqlite:") {
                    let path = String(text.dropFirst("sqlite:".count))
                    guard !path.isEmpty else { throw reader.error(value, key, "give a path: sqlite:PATH") }
                    config.store = .sqlite(path: path)
                } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
                    throw reader.error(value, key, "PostgreSQL is not supported yet by this build; use sqlite:PATH")
                } else {
                    throw reader.error(value, key, "expected sqlite:PATH or a postgres:// URL, not '\(text)'")
                }
            case "listen":
                config.listen = try reader.listen(value, key)
            case "targets":
                for (i, item) in try reader.sequence(value, key).enumerated() {
                    config.targets.append(try reader.target(item, "targets[\(i)]"))
                }
            case "file_sd":
                config.fileSD = try reader.sequence(value, key).enumerated().map { i, item throws(ConfigError) in
                    try reader.string(item, "file_sd[\(i)]")
                }
            case "alertmanager":
                config.alertmanager = try reader.urlBlock(value, key)
            case "webhook":
                config.webhook = try reader.urlBlock(value, key)
            case "rules":
                var rules: [Rule] = []
                for (i, item) in try reader.sequence(value, key).enumerated() {
                    let rule = try reader.rule(item, "rules[\(i)]")
                    if rules.contains(where: { $0.name == rule.name && $0.metric == rule.metric }) {
                        throw reader.error(item, "rules[\(i)].name", "a rule named '\(rule.name)' on \(rule.metric) is already defined")
                    }
                    rules.append(rule)
                }
                config.rules = rules
            case "capture":
                config.capture = try reader.capture(value, key)
            case "poll":
                config.poll = try reader.poll(value, key)
            case "retention":
                config.retentionSeconds = try reader.duration(value, key, minimum: 60)
            case "token":
                let token = try reader.string(value, key)
                guard token.count >= 16 else { throw reader.error(value, key, "use a token of at least 16 characters") }
                config.token = token
            case "external_url":
                config.externalURL = try reader.url(value, key)
            default:
                break
            }
        }
        return config
    }

    /// The line to blame for a YAML syntax error. libyaml reports an unclosed construct (a flow
    /// list's `[`, a quoted string) where it gave up, which is often the end of the input, past the
    /// line with the mistake; then the construct's start (the error's context) is the line to show,
    /// or without one the last line that has text.
    static func yamlLine(_ error: YamlError, text: String) -> Int? {
        let mark: Mark, context: YamlError.Context?
        switch error {
        case .scanner(let c, _, let m, _), .parser(let c, _, let m, _), .composer(let c, _, let m, _):
            (mark, context) = (m, c)
        default:
            return nil
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let lastWithText = (lines.lastIndex { !$0.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } } ?? 0) + 1
        guard mark.line > lastWithText else { return mark.line }
        return min(context?.mark.line ?? lastWithText, lastWithText)
    }

    static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            return [context.map { "\($0.text)" }, problem].compactMap { $0 }.joined(separator: " ")
        default:
            return "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "syntax error"
        }
    }
}
