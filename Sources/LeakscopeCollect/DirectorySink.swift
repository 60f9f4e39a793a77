import Foundation
import LeakscopeCapture

/// Where a capture goes while it runs: the manifest as it grows, and each body as it arrives.
///
/// `Capturer` drives a sink; the sink decides where bytes live. `DirectorySink` writes the
/// capture-set directory that `leakscope diagnose DIR` reads; a daemon can keep captures in its
/// store instead. Every call that changes the manifest must leave it valid (a capture can be
/// interrupted at any point).
package protocol CaptureSink: Actor {
    /// The manifest so far.
    var manifest: CaptureManifest { get }
    /// Starts snapshot `index`, taken at `time`.
    func beginSnapshot(index: Int, time: Date) throws(CaptureError)
    /// The index page's counts for snapshot `snapshot`.
    func setCounts(snapshot: Int, index: PprofIndex) throws(CaptureError)
    /// The target's command line (from `cmdline`).
    func setCommandLine(_ arguments: [String])
    /// A local file a body for `relative` (e.g. `snap-00/heap.pb.gz`) can be streamed into; nothing
    /// counts as captured until `commit`. A failed download's staging file is removed by the caller.
    func stagingFile(for relative: String) throws(CaptureError) -> URL
    /// Takes a complete staged body as `relative`.
    func commit(_ staged: URL, as relative: String) throws(CaptureError)
    /// Appends `entry`; `body`, when given, is stored as `fileName` in the snapshot's folder first.
    func record(_ entry: CaptureManifest.Entry, body: [UInt8]?, fileName: String, snapshot: Int?) throws(CaptureError)
    /// Ends the capture with `status`; returns the final manifest.
    func finish(status: CaptureManifest.Status, at time: Date) throws(CaptureError) -> CaptureManifest
}

extension CaptureSink {
    /// Folder of snapshot `index` (`snap-00`), or of the once-per-capture profiles (`once`).
    package static func folder(snapshot: Int?) -> String {
        guard let snapshot else { return "once" }
        return snapshot < 10 ? "snap-0\(snapshot)" : "snap-\(snapshot)"
    }
}

/// Owns a capture directory while a capture runs: writes each fetched body to its file and rewrites
/// `manifest.json` after every entry (to a temporary file, then renamed), so that at any moment, even
/// after Ctrl-C or a kill, the directory holds a valid manifest of what is there.
package actor DirectorySink: CaptureSink {
    package let directory: URL
    package private(set) var manifest: CaptureManifest

    package init(directory: URL, manifest: CaptureManifest) throws(CaptureError) {
        self.directory = directory
        self.manifest = manifest
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CaptureError(.output, url: directory.path, "cannot create the directory: \(Self.reason(error))")
        }
    }

    package func beginSnapshot(index: Int, time: Date) throws(CaptureError) {
        manifest.snapshots.append(CaptureManifest.Snapshot(index: index, time: time, goroutineCount: nil,
                                                           profileCounts: nil, entries: []))
        try writeManifest()
    }

    package func setCounts(snapshot: Int, index: PprofIndex) throws(CaptureError) {
        guard let position = manifest.snapshots.firstIndex(where: { $0.index == snapshot }) else { return }
        manifest.snapshots[position].goroutineCount = index.goroutineCount
        manifest.snapshots[position].profileCounts = Dictionary(index.counts.map { ($0.name, $0.count) },
                                                                uniquingKeysWith: { first, _ in first })
        if index.hasGoroutineLeakProfile { manifest.goVersion = "≥ go1.26" }
        try writeManifest()
    }

    package func setCommandLine(_ arguments: [String]) { manifest.cmdline = arguments }

    /// Bodies stream into a hidden `.NAME.partial` beside their final name.
    package func stagingFile(for relative: String) throws(CaptureError) -> URL {
        let final = directory.appendingPathComponent(relative)
        do {
            try FileManager.default.createDirectory(at: final.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw CaptureError(.output, url: directory.path, "cannot create \(final.deletingLastPathComponent().path): \(Self.reason(error))")
        }
        return final.deletingLastPathComponent().appendingPathComponent("." + final.lastPathComponent + ".partial")
    }

    package func commit(_ staged: URL, as relative: String) throws(CaptureError) {
        let final = directory.appendingPathComponent(relative)
        do {
            _ = try? FileManager.default.removeItem(at: final)
            try FileManager.default.moveItem(at: staged, to: final)
        } catch {
            throw CaptureError(.output, url: directory.path, "cannot write \(relative)")
        }
    }

    /// Writes `body` (when given) to `fileName` in the snapshot's folder and appends the entry.
    package func record(_ entry: CaptureManifest.Entry, body: [UInt8]?, fileName: String, snapshot: Int?) throws(CaptureError) {
        var entry = entry
        if let body {
            let relative = Self.folder(snapshot: snapshot) + "/" + fileName
            let url = directory.appendingPathComponent(relative)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(body).write(to: url, options: .atomic)
            } catch {
                throw CaptureError(.output, url: directory.path, "cannot write \(relative): \(Self.reason(error))")
            }
            entry.file = relative
            entry.bytes = body.count
        }
        if let snapshot {
            if let position = manifest.snapshots.firstIndex(where: { $0.index == snapshot }) {
                manifest.snapshots[position].entries.append(entry)
            }
        } else {
            manifest.once.append(entry)
        }
        manifest.refreshFailures()
        try writeManifest()
    }

    package func finish(status: CaptureManifest.Status, at time: Date) throws(CaptureError) -> CaptureManifest {
        manifest.status = status
        manifest.finished = time
        manifest.refreshFailures()
        try writeManifest()
        return manifest
    }

    private func writeManifest() throws(CaptureError) {
        let url = directory.appendingPathComponent(CaptureManifest.fileName)
        do {
            try manifest.encoded().write(to: url, options: .atomic)
        } catch {
            throw CaptureError(.output, url: directory.path, "cannot write \(CaptureManifest.fileName): \(Self.reason(error))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        let text = (error as NSError).localizedDescription
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
    }
}
