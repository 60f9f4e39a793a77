import Foundation
import Testing
import Yams
import LeakscopeTestSupport

/// `examples/kubernetes/deployment.yaml` holds together: every reference it makes (volume mounts,
/// the ConfigMap key behind `--config`, probe and Service ports, the token's Secret) points at
/// something that exists, the security context is the one the README promises, the ConfigMap's
/// config passes `leakscope watch --check`, and a watcher started with it serves the probe paths.
@Suite(.serialized) struct KubernetesExampleTests {
    typealias Object = [String: Any]

    static var directory: URL { TestPaths.packageRoot.appendingPathComponent("examples/kubernetes") }

    /// The file's documents by kind.
    static func documents() throws -> [String: Object] {
        let text = try String(contentsOf: directory.appendingPathComponent("deployment.yaml"), encoding: .utf8)
        var byKind: [String: Object] = [:]
        for document in try Yams.load_all(yaml: text) {
            let object = try #require(map(document), "every document is a mapping")
            let kind = try #require(object["kind"] as? String, "every document has a kind")
            #expect(byKind[kind] == nil, "one \(kind)")
            byKind[kind] = object
        }
        return byKind
    }

    static func map(_ value: Any?) -> Object? {
        if let object = value as? Object { return object }
        guard let object = value as? [AnyHashable: Any] else { return nil }
        var out: Object = [:]
        for (key, value) in object { if let key = key as? String { out[key] = value } }
        return out
    }

    static func list(_ value: Any?) -> [Object] { (value as? [Any] ?? []).compactMap(map) }

    static func at(_ object: Object?, _ path: String) -> Any? {
        var current: Any? = object
        for key in path.split(separator: ".") { current = map(current)?[String(key)] }
        return current
    }

    static func watchConfig() throws -> String {
        let configMap = try #require(try documents()["ConfigMap"])
        return try #require(at(configMap, "data.watch.yaml") as? String ?? map(configMap["data"])?["watch.yaml"] as? String)
    }

    @Test func everyReferenceResolves() throws {
        let docs = try Self.documents()
        let configMap = try #require(docs["ConfigMap"]), deployment = try #require(docs["Deployment"])
        let service = try #require(docs["Service"])
        let configName = try #require(Self.at(configMap, "metadata.name") as? String)
        let configKeys = Set(Self.map(configMap["data"])?.keys.map { $0 } ?? [])
        let pod = try #require(Self.map(Self.at(deployment, "spec.template")))
        let podLabels = Self.map(Self.at(pod, "metadata.labels")) as? [String: String] ?? [:]
        #expect(Self.map(Self.at(deployment, "spec.selector.matchLabels")) as? [String: String] == podLabels)
        let spec = try #require(Self.map(pod["spec"]))
        let volumes = Self.list(spec["volumes"])
        let volumeNames = Set(volumes.compactMap { $0["name"] as? String })
        let containers = Self.list(spec["containers"])
        #expect(containers.compactMap { $0["name"] as? String }.sorted() == ["app", "leakscope"])

        // Pod-wide: non-root with the runtime's seccomp profile.
        #expect(Self.at(spec, "securityContext.runAsNonRoot") as? Bool == true)
        #expect((Self.at(spec, "securityContext.runAsUser") as? Int ?? 0) > 0)
        #expect(Self.at(spec, "securityContext.seccompProfile.type") as? String == "RuntimeDefault")

        for container in containers {
            let name = container["name"] as? String ?? "?"
            // Every container: read-only root, no escalation, no capabilities, requests and limits.
            #expect(Self.at(container, "securityContext.readOnlyRootFilesystem") as? Bool == true, "\(name)")
            #expect(Self.at(container, "securityContext.allowPrivilegeEscalation") as? Bool == false, "\(name)")
            #expect((Self.at(container, "securityContext.capabilities.drop") as? [String]) == ["ALL"], "\(name)")
            for part in ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] {
                #expect(Self.at(container, "resources." + part) != nil, "\(name) resources.\(part)")
            }
            for mount in Self.list(container["volumeMounts"]) {
                #expect(volumeNames.contains(mount["name"] as? String ?? ""), "\(name) mounts \(mount)")
            }
        }

        // The sidecar: --config names the ConfigMap key through its volume.
        let sidecar = try #require(containers.first { $0["name"] as? String == "leakscope" })
        let args = sidecar["args"] as? [String] ?? []
        #expect(args.first == "watch")
        let configIndex = try #require(args.firstIndex(of: "--config"))
        let configPath = args[configIndex + 1]
        let mount = try #require(Self.list(sidecar["volumeMounts"]).first { configPath.hasPrefix(($0["mountPath"] as? String ?? "") + "/") })
        let volume = try #require(volumes.first { $0["name"] as? String == mount["name"] as? String })
        #expect(Self.at(volume, "configMap.name") as? String == configName)
        let items = Self.list(Self.at(volume, "configMap.items"))
        let fileName = String(configPath.dropFirst((mount["mountPath"] as? String ?? "").count + 1))
        let item = try #require(items.first { $0["path"] as? String == fileName }, "an item maps a key to \(fileName)")
        #expect(configKeys.contains(item["key"] as? String ?? ""), "key \(item) in \(configKeys)")
        // Writable places the config uses are volumes, since the root filesystem is read-only.
        let config = try Self.watchConfig()
        let writable = Self.list(sidecar["volumeMounts"]).filter { $0["readOnly"] as? Bool != true }.compactMap { $0["mountPath"] as? String }
        for line in config.split(separator: "\n") where line.contains("sqlite:") || line.contains("directory:") {
            let path = String(line.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces)
            #expect(writable.contains { path.hasPrefix($0 + "/") }, "\(path) is on a writable volume")
        }

        // Ports: the config's listen port is the container port the probes and the Service name.
        let ports = Self.list(sidecar["ports"])
        let portNames = Dictionary(uniqueKeysWithValues: ports.compactMap { p in (p["name"] as? String).map { ($0, p["containerPort"] as? Int ?? 0) } })
        let listen = try #require(config.split(separator: "\n").first { $0.hasPrefix("listen:") })
        #expect(portNames.values.contains(Int(listen.split(separator: ":").last ?? "") ?? -1), "\(listen) vs \(portNames)")
        var probePaths: [String] = []
        for probe in ["livenessProbe", "readinessProbe"] {
            let port = Self.at(sidecar, "\(probe).httpGet.port")
            #expect(portNames[port as? String ?? ""] != nil || portNames.values.contains(port as? Int ?? -1), "\(probe) port \(String(describing: port))")
            probePaths.append(try #require(Self.at(sidecar, "\(probe).httpGet.path") as? String))
        }
        #expect(probePaths == ["/healthz", "/readyz"])
        #expect(Self.map(Self.at(service, "spec.selector")) as? [String: String] == podLabels)
        for port in Self.list(Self.at(service, "spec.ports")) {
            #expect(portNames[port["targetPort"] as? String ?? ""] != nil, "Service targetPort \(port)")
        }

        // The token's Secret: the README creates it with the name and key the container reads.
        let secretName = try #require(Self.at(sidecar, "env") as? [Any]).compactMap(Self.map).first { $0["name"] as? String == "LEAKSCOPE_WATCH_TOKEN" }
        let reference = try #require(Self.map(Self.at(secretName, "valueFrom.secretKeyRef")))
        let readme = try String(contentsOf: Self.directory.appendingPathComponent("README.md"), encoding: .utf8)
        let create = "kubectl create secret generic \(reference["name"] as? String ?? "?") --from-literal=\(reference["key"] as? String ?? "?")="
        #expect(readme.contains(create), "README: \(create)")
    }

    /// The ConfigMap's config passes `--check` with the token the Secret provides, and fails
    /// without it (it listens off loopback).
    @Test func configMapConfigPassesWatchCheck() async throws {
        let file = TestPaths.scratch.appendingPathComponent("k8s-watch-\(UUID().uuidString).yaml")
        try Self.watchConfig().write(to: file, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["LEAKSCOPE_WATCH_TOKEN"] = "a-token-of-at-least-16-characters"
        let checked = try await ProcessRunner.run(try LeakscopeBinary.path(), ["watch", "--config", file.path, "--check"],
                                                  environment: environment)
        #expect(checked.exitCode == 0, "\(checked.stderrText)")
        #expect(checked.stdoutText.contains("config OK: 1 target,"), "\(checked.stdoutText)")
        environment["LEAKSCOPE_WATCH_TOKEN"] = nil
        let refused = try await ProcessRunner.run(try LeakscopeBinary.path(), ["watch", "--config", file.path, "--check"],
                                                  environment: environment)
        #expect(refused.exitCode == 2 && refused.stderrText.contains("token"), "\(refused.stderrText)")
    }

    /// A watcher run with the ConfigMap's config (its store, captures and port moved to scratch)
    /// answers the probe paths without the token, and refuses the rest without it.
    @Test func probePathsAreServed() async throws {
        let dir = try WatchHarness.folder("k8s-probes")
        var lines: [String] = []
        for line in try Self.watchConfig().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("listen:") { lines.append("listen: 0.0.0.0:0") }
            else if line.hasPrefix("store:") { lines.append("store: sqlite:\(dir.path)/watch.db") }
            else if line.trimmingCharacters(in: .whitespaces).hasPrefix("directory:") { lines.append("  directory: \(dir.path)/captures") }
            else if line.hasPrefix("alertmanager:") || line.contains("url: http://alertmanager") { continue }
            else { lines.append(String(line)) }
        }
        let file = dir.appendingPathComponent("watch.yaml")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["LEAKSCOPE_WATCH_TOKEN"] = "a-token-of-at-least-16-characters"
        let (watch, announced) = try await WatchHarness.startWatch(config: file, environment: environment)
        defer { watch.signal(SIGKILL) }
        let base = announced.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")
        let docs = try Self.documents()
        let containers = Self.list(Self.at(docs["Deployment"], "spec.template.spec.containers"))
        let sidecar = try #require(containers.first { $0["name"] as? String == "leakscope" })
        for probe in ["livenessProbe", "readinessProbe"] {
            let path = try #require(Self.at(sidecar, "\(probe).httpGet.path") as? String)
            let response = try await WatchHarness.get(base + path)
            #expect(response.status == 200, "\(probe) \(path): \(response.status) \(response.text)")
        }
        #expect(try await WatchHarness.get(base + "/").status == 401)
        #expect(try await WatchHarness.get(base + "/metrics").status == 401)
    }
}
