import Foundation
import LeakscopeCapture
import LeakscopeBytes

/// Reads a capture directory written by `leakscope capture` (or by `diagnose URL --out`) using its
/// manifest: one goroutine dump per snapshot (debug=2 when there, else debug=1, else proto), the
/// latest goroutineleak profile, heap/mutex/block per snapshot with the snapshot's time, and the
/// once-per-capture CPU, threadcreate and (without heap snapshots) allocs profiles, and the execution
/// trace when one was taken. Files the
/// manifest does not list (a GODEBUG log saved next to it) are read by content.
enum DiagnoseCaptureSet {
    static func add(directory: String, manifest: CaptureManifest, to input: inout DiagnosisInput) throws(OneLineError) {
        let root = URL(fileURLWithPath: directory)
        var listed: Set<String> = [CaptureManifest.fileName]
        func add(_ entry: CaptureManifest.Entry, as kind: DiagnosisInputKind, time: Date?) throws(OneLineError) {
            guard entry.status == .fetched, let file = entry.file else { return }
            let path = root.appendingPathComponent(file).path
            // The manifest loader checked every component; O_NOFOLLOW closes the race with a swap.
            let bytes = try FileBytes.read(path, followSymlinks: false)
            do {
                try input.add(name: path, bytes: bytes, kind: kind, time: time?.timeIntervalSince1970)
            } catch {
                throw OneLineError(error.description)
            }
        }
        for entry in manifest.allEntries { if let file = entry.file { listed.insert(file) } }

        let hasHeap = manifest.snapshots.contains { $0.entry(.heap)?.status == .fetched }
        for snapshot in manifest.snapshots {
            if let dump = snapshot.entry(.goroutineStacks), dump.status == .fetched {
                try add(dump, as: .goroutineDump, time: snapshot.time)
            } else if let groups = snapshot.entry(.goroutineGroups), groups.status == .fetched {
                try add(groups, as: .goroutineProfile, time: snapshot.time)
            } else if let proto = snapshot.entry(.goroutine) {
                try add(proto, as: .goroutineProfile, time: snapshot.time)
            }
            if let heap = snapshot.entry(.heap) { try add(heap, as: .heap, time: snapshot.time) }
            if let mutex = snapshot.entry(.mutex) { try add(mutex, as: .mutex, time: snapshot.time) }
            if let block = snapshot.entry(.block) { try add(block, as: .block, time: snapshot.time) }
        }
        // The runtime's leak detector is evidence for the latest dump only.
        if let latest = manifest.snapshots.last(where: { $0.entry(.goroutineLeak)?.status == .fetched }),
           let leak = latest.entry(.goroutineLeak) {
            try add(leak, as: .goroutineLeak, time: latest.time)
        } else if manifest.snapshots.contains(where: { $0.entry(.goroutineLeak)?.status == .unavailable }) {
            input.notes.append("goroutineleak profile not available (the target runs Go < 1.26): leaks are judged by growth alone")
        }
        let cpuTime = manifest.snapshots.first?.time
        if let cpu = manifest.onceEntry(.cpu) { try add(cpu, as: .cpu, time: cpuTime) }
        if let threads = manifest.onceEntry(.threadcreate) { try add(threads, as: .threadcreate, time: manifest.snapshots.last?.time) }
        if !hasHeap, let allocs = manifest.onceEntry(.allocs) { try add(allocs, as: .allocs, time: manifest.snapshots.last?.time) }
        // The execution trace is read from its file a generation at a time, never whole.
        if let trace = manifest.onceEntry(.trace), trace.status == .fetched, let file = trace.file {
            do {
                try input.addTrace(name: root.appendingPathComponent(file).path, path: root.appendingPathComponent(file).path,
                                   time: trace.started.timeIntervalSince1970, bytes: trace.bytes ?? 0)
            } catch {
                throw OneLineError(error.description)
            }
        }

        // Anything else in the directory (a GODEBUG log saved beside the capture), by content.
        for relative in try DiagnoseInputs.regularFiles(under: directory) where !listed.contains(relative) {
            do {
                try DiagnoseInputs.addByContent(root.appendingPathComponent(relative).path, to: &input)
            } catch {
                input.notes.append("skipped \(error.message)")
            }
        }

        if manifest.status == .interrupted {
            input.notes.append("the capture was interrupted after \(manifest.snapshots.count) of \(manifest.plan.snapshots) snapshots")
        }
        input.target = manifest.target
        if let cmdline = manifest.cmdline, !cmdline.isEmpty {
            input.notes.append("target command line: \(cmdline.joined(separator: " "))")
        }
        var seen: Set<String> = []
        for failure in manifest.failures {
            let line = "capture failed for \(failure.endpoint)\(failure.query.isEmpty ? "" : "?" + failure.query): \(failure.message)"
            if seen.insert(line).inserted { input.notes.append(line) }
        }
    }
}
