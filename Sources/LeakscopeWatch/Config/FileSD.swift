import Foundation
import Yams

/// Prometheus file-based service discovery: a JSON or YAML list of `{targets: [host:port…], labels: {…}}`.
/// Each `host:port` becomes `http://host:port` (`__scheme__: https` in the labels changes the scheme);
/// labels starting with `__` are Prometheus' meta labels and are dropped.
enum FileSD {
    static func parse(_ text: String, file: String) throws(ConfigError) -> [WatchConfig.Target] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: file, line: WatchConfigParser.yamlLine(error, text: text), field: nil, "not valid JSON or YAML: \(WatchConfigParser.yamlProblem(error))")
        } catch {
            throw ConfigError(file: file, line: nil, field: nil, "not valid JSON or YAML")
        }
        guard let root else { return [] }
        let reader = Reader(file: file)
        var targets: [WatchConfig.Target] = []
        for (i, group) in try reader.sequence(root, "").enumerated() {
            let field = "[\(i)]"
            let entries = try reader.mapping(group, field)
            try reader.onlyKeys(entries, ["targets", "labels"], at: field)
            var labels: [String: String] = [:]
            if let node = entries.first(where: { $0.0 == "labels" })?.1 {
                for (key, value) in try reader.mapping(node, field + ".labels") {
                    labels[key] = try reader.string(value, field + ".labels." + key)
                }
            }
            let scheme = labels["__scheme__"] ?? "http"
            let metricsPath = labels["__metrics_path__"]
            labels = labels.filter { !$0.key.hasPrefix("__") && $0.key != "target" && $0.key != "alertname" }
            guard let list = entries.first(where: { $0.0 == "targets" })?.1 else {
                throw reader.error(group, field, "needs targets")
            }
            for (j, item) in try reader.sequence(list, field + ".targets").enumerated() {
                let address = try reader.string(item, field + ".targets[\(j)]")
                guard !address.isEmpty, !address.contains("/") else {
                    throw reader.error(item, field + ".targets[\(j)]", "expected host:port, not '\(address)'")
                }
                var target = WatchConfig.Target(url: "\(scheme)://\(address)", labels: labels)
                if let metricsPath { target.metricsPath = metricsPath }
                targets.append(target)
            }
        }
        return targets
    }

    /// Reads every file; a file that cannot be read or parsed keeps its previous targets (and is reported).
    static func load(_ paths: [String], previous: [String: [WatchConfig.Target]]) -> (targets: [String: [WatchConfig.Target]], errors: [ConfigError]) {
        var out: [String: [WatchConfig.Target]] = [:]
        var errors: [ConfigError] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path), data.count <= 16 << 20 else {
                errors.append(ConfigError(file: path, line: nil, field: nil, "cannot read the file_sd file"))
                out[path] = previous[path] ?? []
                continue
            }
            do {
                out[path] = try parse(String(decoding: data, as: UTF8.self), file: path)
            } catch {
                errors.append(error)
                out[path] = previous[path] ?? []
            }
        }
        return (out, errors)
    }

    static func modificationTimes(_ paths: [String]) -> [String: Date] {
        var out: [String: Date] = [:]
        for path in paths {
            out[path] = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        return out
    }
}

extension WatchConfigParser {
    /// The targets of one Prometheus file_sd file (JSON or YAML).
    public static func fileSD(_ text: String, file: String) throws(ConfigError) -> [WatchConfig.Target] {
        try FileSD.parse(text, file: file)
    }
}
