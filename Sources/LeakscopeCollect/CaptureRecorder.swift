import Foundation
import LeakscopeCapture

/// Owns a capture directory while a capture runs: writes each fetched body to its file and rewrites
/// `manifest.json` after every entry (to a temporary file, then renamed), so that at any moment, even
/// after Ctrl-C or a kill, the directory holds a valid manifest of what is there.
actor CaptureRecorder {
    let directory: URL
    private(set) var manifest: CaptureManifest

    init(directory: URL, manifest: CaptureManifest) throws(CaptureError) {
        self.directory = directory
        self.manifest = manifest
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CaptureError(.output, url: directory.path, "cannot create the directory: \(Self.reason(error))")
        }
    }

    /// Folder of snapshot `index` (`snap-00`), or of the once-per-capture profiles (`once`).
    static func folder(snapshot: Int?) -> String {
        guard let snapshot else { return "once" }
        return snapshot < 10 ? "snap-0\(snapshot)" : "snap-\(snapshot)"
    }

    func beginSnapshot(index: Int, time: Date) throws(CaptureError) {
        manifest.snapshots.append(CaptureManifest.Snapshot(index: index, time: time, goroutineCount: nil,
                                                           profileCounts: nil, entries: []))
        try writeManifest()
    }

    func setCounts(snapshot: Int, index: PprofIndex) throws(CaptureError) {
        guard let position = manifest.snapshots.firstIndex(where: { $0.index == snapshot }) else { return }
        manifest.snapshots[position].goroutineCount = index.goroutineCount
        manifest.snapshots[position].profileCounts = Dictionary(index.counts.map { ($0.name, $0.count) },
                                                                uniquingKeysWith: { first, _ in first })
        if index.hasGoroutineLeakProfile { manifest.goVersion = "≥ go1.26" }
        try writeManifest()
    }

    func setCommandLine(_ arguments: [String]) { manifest.cmdline = arguments }

    /// Writes `body` (when given) to `fileName` in the snapshot's folder and appends the entry.
    func record(_ entry: CaptureManifest.Entry, body: [UInt8]?, fileName: String, snapshot: Int?) throws(CaptureError) {
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

    func finish(status: CaptureManifest.Status, at time: Date) throws(CaptureError) -> CaptureManifest {
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
