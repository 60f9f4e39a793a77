import LeakscopeFindings
import LeakscopeLint
import Yams

/// A problem in a config file: where (line, key) and what.
public struct LintConfigError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var line: Int?
    public var field: String?
    public var message: String

    public var description: String {
        var place = source
        if let line { place += ":\(line)" }
        if let field { place += ": \(field)" }
        return "\(place): \(message)"
    }
}

/// Reads the `lint` section of `.leakscope.yaml` (other top-level sections belong to other
/// commands and are ignored):
///
/// ```yaml
/// lint:
///   enable: [LS001, LS003, lock-not-released]   # default: every check
///   disable: [LS009]
///   confidence: low                             # default high: leave out the low-confidence shapes
///   exclude: ["internal/gen", "**/*_mock.go"]
///   checks:
///     LS004: {severity: critical, exclude: ["cmd/**"]}
/// ```
public enum LintConfigFile {
    /// The file `lint` looks for in the current directory when `--config` is not given.
    public static let defaultName = ".leakscope.yaml"

    public static func parse(_ text: String, source: String) throws(LintConfigError) -> LintConfig {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw LintConfigError(source: source, line: yamlLine(error), field: nil, message: "not valid YAML")
        } catch { throw LintConfigError(source: source, line: nil, field: nil, message: "not valid YAML: \(error)") }
        guard let root else { return LintConfig() }
        guard let top = root.mapping else {
            throw LintConfigError(source: source, line: root.mark?.line, field: nil, message: "expected a mapping with a `lint` key")
        }
        guard let section = top["lint"] else { return LintConfig() }
        if section.scalar != nil && (section.string ?? "").isEmpty { return LintConfig() }
        guard let mapping = section.mapping else {
            throw LintConfigError(source: source, line: section.mark?.line, field: "lint", message: "expected a mapping")
        }
        var config = LintConfig()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let field = "lint.\(key)"
            switch key {
            case "enable": config.enable = try checkList(value, field: field, source: source)
            case "disable": config.disable = try checkList(value, field: field, source: source)
            case "exclude": config.exclude = try strings(value, field: field, source: source)
            case "confidence":
                guard value.scalar != nil, let level = value.string.flatMap(Confidence.init(rawValue:)) else {
                    throw LintConfigError(source: source, line: value.mark?.line, field: field,
                                          message: "`\(value.string ?? "")` is not high or low")
                }
                config.confidence = level
            case "checks":
                guard let checks = value.mapping else {
                    throw LintConfigError(source: source, line: value.mark?.line, field: field, message: "expected a mapping of check ID to options")
                }
                for (idNode, options) in checks {
                    let id = idNode.string ?? ""
                    guard let check = Checks.named(id) else {
                        throw LintConfigError(source: source, line: idNode.mark?.line, field: "\(field).\(id)", message: unknown(id))
                    }
                    config.options[check.id] = try checkOptions(options, field: "\(field).\(id)", source: source)
                }
            default:
                throw LintConfigError(source: source, line: keyNode.mark?.line, field: field,
                                      message: "unknown key (use enable, disable, exclude, confidence, checks)")
            }
        }
        return config
    }

    static func checkOptions(_ node: Node, field: String, source: String) throws(LintConfigError) -> LintConfig.CheckOptions {
        guard let mapping = node.mapping else {
            throw LintConfigError(source: source, line: node.mark?.line, field: field, message: "expected a mapping (severity, exclude)")
        }
        var options = LintConfig.CheckOptions()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "severity":
                guard let severity = Finding.Severity(rawValue: value.string ?? "") else {
                    throw LintConfigError(source: source, line: value.mark?.line, field: "\(field).severity",
                                          message: "`\(value.string ?? "")` is not critical, warning or info")
                }
                options.severity = severity
            case "exclude": options.exclude = try strings(value, field: "\(field).exclude", source: source)
            default:
                throw LintConfigError(source: source, line: keyNode.mark?.line, field: "\(field).\(key)",
                                      message: "unknown key (use severity, exclude)")
            }
        }
        return options
    }

    static func checkList(_ node: Node, field: String, source: String) throws(LintConfigError) -> [String] {
        let keys = try strings(node, field: field, source: source)
        for key in keys where Checks.named(key) == nil {
            throw LintConfigError(source: source, line: node.mark?.line, field: field, message: unknown(key))
        }
        return keys
    }

    /// A list of strings, or one string.
    static func strings(_ node: Node, field: String, source: String) throws(LintConfigError) -> [String] {
        if let list = node.sequence {
            var out: [String] = []
            for item in list {
                guard item.scalar != nil, let text = item.string else {
                    throw LintConfigError(source: source, line: item.mark?.line, field: field, message: "expected a list of strings")
                }
                out.append(text)
            }
            return out
        }
        if node.scalar != nil, let text = node.string { return [text] }
        throw LintConfigError(source: source, line: node.mark?.line, field: field, message: "expected a list of strings")
    }

    static func unknown(_ key: String) -> String {
        "unknown check \(key); known: \(Checks.all.map(\.id).joined(separator: ", "))"
    }

    static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): return mark.line
        default: return nil
        }
    }
}
