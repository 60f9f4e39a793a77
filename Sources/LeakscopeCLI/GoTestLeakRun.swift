import ArgumentParser
import Foundation
import LeakscopeBytes
import LeakscopeGate
import LeakscopeGoroutines

/// Runs `go test …` with the leak-check overlay (`LeakCheckOverlay`) and collects the dumps it leaves.
struct GoTestLeakRun {
    /// One dump per checked package (goroutine dump and, where the toolchain has it, goroutineleak profile).
    var inputs: [LeakCheck.Input] = []
    /// Packages not checked, with the reason.
    var unchecked: [String] = []
    var notes: [String] = []
    var exitStatus: Int32 = 0

    /// `go test` flags that take a value as the next argument (so that value is not a package pattern).
    static let valueFlags: Set<String> = [
        "-run", "-skip", "-bench", "-benchtime", "-count", "-cpu", "-parallel", "-timeout", "-tags", "-p", "-o", "-exec",
        "-ldflags", "-gcflags", "-asmflags", "-coverprofile", "-covermode", "-coverpkg", "-cpuprofile", "-memprofile",
        "-blockprofile", "-mutexprofile", "-trace", "-outputdir", "-shuffle", "-fuzz", "-fuzztime", "-list", "-vet",
        "-mod", "-modfile", "-C",
    ]

    init(command: [String], settleMilliseconds: Int, testOutputToStandardError: Bool) throws {
        let go = command[0]
        let testArguments = Array(command.dropFirst(2))
        var patterns: [String] = []
        var flagsToKeep: [String] = []  // -tags and -C change what `go list` sees
        var index = 0
        while index < testArguments.count {
            let argument = testArguments[index]
            if argument.hasPrefix("-") {
                let name = String(argument.prefix(while: { $0 != "=" })).replacingOccurrences(of: "--", with: "-")
                let takesNext = !argument.contains("=") && Self.valueFlags.contains(name)
                if name == "-tags" || name == "-C" || name == "-mod" {
                    flagsToKeep.append(argument)
                    if takesNext, index + 1 < testArguments.count { flagsToKeep.append(testArguments[index + 1]) }
                }
                if name == "-args" { break }
                index += takesNext ? 2 : 1
            } else {
                patterns.append(argument)
                index += 1
            }
        }
        if patterns.isEmpty { patterns = ["."] }

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("leakscope-gate-\(getpid())-\(UUID().uuidString)")
        let dumps = scratch.appendingPathComponent("dumps")
        let sources = scratch.appendingPathComponent("overlay")
        do {
            try FileManager.default.createDirectory(at: dumps, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        } catch {
            throw gateInputFailure("\(scratch.path): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: scratch) }

        // Which packages have tests, their directories and names.
        let listing = try Self.capture(go, ["list"] + flagsToKeep + ["-f",
            "{{.ImportPath}}\t{{.Dir}}\t{{.Name}}\t{{join .TestGoFiles \" \"}}\t{{join .XTestGoFiles \" \"}}"] + patterns)
        guard listing.status == 0 else {
            throw gateInputFailure("go list \(patterns.joined(separator: " ")) failed: \(listing.error.split(separator: "\n").first ?? "")")
        }
        var replace: [String: String] = [:]
        var checked: [(importPath: String, name: String)] = []
        for line in listing.output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { continue }
            let (importPath, dir, name) = (fields[0], fields[1], fields[2])
            let testFiles = (fields[3] + " " + fields[4]).split(separator: " ").map(String.init)
            guard !testFiles.isEmpty else { continue }
            if testFiles.contains(where: { Self.declaresTestMain(URL(fileURLWithPath: dir).appendingPathComponent($0).path) }) {
                unchecked.append(importPath)
                notes.append("\(importPath): not checked, it has its own TestMain (use goleak.VerifyTestMain there)")
                continue
            }
            let file = sources.appendingPathComponent("\(checked.count).go")
            let source = LeakCheckOverlay.source(packageName: name, importPath: importPath, settleMilliseconds: settleMilliseconds)
            do { try source.write(to: file, atomically: true, encoding: .utf8) } catch {
                throw gateInputFailure("\(file.path): \(error.localizedDescription)")
            }
            replace[URL(fileURLWithPath: dir).appendingPathComponent(LeakCheckOverlay.fileName).path] = file.path
            checked.append((importPath, name))
        }
        let overlay = scratch.appendingPathComponent("overlay.json")
        do {
            let data = try JSONSerialization.data(withJSONObject: ["Replace": replace], options: [.sortedKeys])
            try data.write(to: overlay)
        } catch {
            throw gateInputFailure("\(overlay.path): \(error.localizedDescription)")
        }

        // -count=1: a cached pass would not run the binary, and so would write no dump.
        var arguments = ["test", "-overlay=\(overlay.path)"]
        if !testArguments.contains(where: { $0 == "-count" || $0.hasPrefix("-count=") }) { arguments.append("-count=1") }
        arguments += testArguments
        var environment = ProcessInfo.processInfo.environment
        environment[LeakCheckOverlay.directoryVariable] = dumps.path
        // Ancestor stacks let a leak be traced back to the test that started it.
        let godebug = environment["GODEBUG"].map { $0.isEmpty ? "" : $0 + "," } ?? ""
        environment["GODEBUG"] = godebug + "tracebackancestors=50"
        exitStatus = try Self.runPassingOutput(go, arguments, environment: environment, toStandardError: testOutputToStandardError)

        for (importPath, _) in checked {
            var found = false
            let preexisting = Self.goroutineIDs(in: dumps.appendingPathComponent(
                LeakCheckOverlay.dumpName(importPath: importPath, profile: LeakCheckOverlay.beforeProfile)).path)
            for profile in ["goroutine", "goroutineleak"] {
                let path = dumps.appendingPathComponent(LeakCheckOverlay.dumpName(importPath: importPath, profile: profile)).path
                guard FileManager.default.fileExists(atPath: path) else { continue }
                found = true
                do {
                    let dump = try GoroutineDump.parse(try FileBytes.read(path))
                    inputs.append(LeakCheck.Input(source: "\(importPath) (\(profile))", package: importPath, dump: dump,
                                                  preexisting: preexisting))
                } catch {
                    notes.append("\(importPath): could not read its \(profile) dump: \(error)")
                }
            }
            if !found { notes.append("\(importPath): no dump (the test binary did not finish normally)") }
        }
    }

    /// The goroutine IDs in the dump at `path` (empty when it is missing or unreadable: nothing is
    /// then treated as pre-existing).
    static func goroutineIDs(in path: String) -> Set<Int64> {
        guard let bytes = try? FileBytes.read(path), let dump = try? GoroutineDump.parse(bytes) else { return [] }
        return Set(dump.resolvedGoroutines.map(\.id))
    }

    /// Whether a Go file declares `func TestMain(`.
    static func declaresTestMain(_ path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        return text.contains("func TestMain(")
    }

    /// Runs a command to its end and returns its status and output.
    static func capture(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(executable))
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw gateInputFailure("cannot run \(executable): \(error.localizedDescription)") }
        // Read both pipes before waiting, so a chatty child never blocks on a full pipe.
        final class Box: @unchecked Sendable { var data = Data() }
        let errorBox = Box()
        let done = DispatchSemaphore(value: 0)
        let errorHandle = err.fileHandleForReading
        Thread.detachNewThread {
            errorBox.data = errorHandle.readDataToEndOfFile()
            done.signal()
        }
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        let errorData = errorBox.data
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    /// Runs a command with our standard error, and its standard output on ours or on our standard error.
    static func runPassingOutput(_ executable: String, _ arguments: [String], environment: [String: String],
                                 toStandardError: Bool) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(executable))
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = toStandardError ? FileHandle.standardError : FileHandle.standardOutput
        process.standardError = FileHandle.standardError
        do { try process.run() } catch { throw gateInputFailure("cannot run \(executable): \(error.localizedDescription)") }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// `go` → its path on PATH.
    static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw gateInputFailure("\(name): not found on PATH")
    }
}
