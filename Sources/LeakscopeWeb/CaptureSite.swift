import Foundation
import LeakscopeBytes
import LeakscopeCapture
import LeakscopeDiagnose
import LeakscopeFormat
import LeakscopePprofDriver
import LeakscopePresentation
import LeakscopeProfile

/// `leakscope serve`: capture directories and loose files, browsable. `/` lists every set with
/// its profiles; `/r/S` is set S's diagnose report; `/p/N/ui/…` are profile N's views;
/// `/c/diff/A/B/ui/…` compares B against A (`-diff_base`), `/c/base/A/B/ui/…` subtracts A
/// from B (`-base`). Only files found under the given arguments are ever read.
public struct CaptureSite: Sendable {
    /// One argument: a capture directory (or any directory), or all loose files together.
    struct InputSet: Sendable {
        var title: String
        var input: DiagnosisInput
    }

    /// One profile file the views can show.
    struct Entry: Sendable {
        var set: Int
        var path: String
        var kind: DiagnosisInputKind
        var time: Double?
        var bytes: Int
    }

    let sets: [InputSet]
    let entries: [Entry]
    let cache = SiteCache()
    /// Where the site's `/` is on its server: empty for `serve`, `/captures/7/files` when the
    /// watcher serves a capture (`MountedCaptureSite`). Every link the site writes starts with it.
    let mountPath: String
    /// Links shown before "index" in every page's bar (back to the watcher's pages when mounted).
    let home: [(title: String, href: String)]

    /// The kinds that are pprof profiles (goroutine dumps and GODEBUG logs are read by the report only).
    static let profileKinds: [DiagnosisInputKind] = [.cpu, .heap, .allocs, .mutex, .block, .goroutineProfile,
                                                     .goroutineLeak, .threadcreate]

    /// Reads `arguments` the way `diagnose` does: each directory is a set, loose files one more.
    public init(arguments: [String]) throws(OneLineError) {
        try self.init(arguments: arguments, mountPath: "", home: [])
    }

    init(arguments: [String], mountPath: String, home: [(title: String, href: String)]) throws(OneLineError) {
        self.mountPath = mountPath
        self.home = home
        var sets: [InputSet] = []
        var files: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                sets.append(InputSet(title: argument, input: try DiagnoseInputs.load([argument])))
            } else {
                files.append(argument)
            }
        }
        if !files.isEmpty { sets.append(InputSet(title: files.joined(separator: ", "), input: try DiagnoseInputs.load(files))) }
        var entries: [Entry] = []
        for (index, set) in sets.enumerated() {
            for item in set.input.inputs where Self.profileKinds.contains(item.kind) && Self.isViewable(item.name, kind: item.kind) {
                entries.append(Entry(set: index, path: item.name, kind: item.kind, time: item.time, bytes: item.bytes))
            }
        }
        self.sets = sets
        self.entries = entries
    }

    /// Goroutine profiles in debug=1 text carry no symbols a profile view could use (pprof cannot
    /// symbolize them either): they are read by the report only. Every other profile kind is kept.
    static func isViewable(_ path: String, kind: DiagnosisInputKind) -> Bool {
        guard kind == .goroutineProfile || kind == .goroutineLeak else { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 2)) ?? Data()
        return head.count == 2 && head[head.startIndex] == 0x1f && head[head.startIndex + 1] == 0x8b
    }

    /// The server for these sets on `address`.
    public static func serve(_ site: CaptureSite, address: String, openBrowser: Bool) async -> Int32 {
        let listen: ListenAddress
        do {
            listen = try ListenAddress(parsing: address)
        } catch {
            WebOutput.error("leakscope: \(error.message)")
            return 2
        }
        return await WebOutput.run(WebServer(site: site, address: listen), openBrowser: openBrowser)
    }
}

extension CaptureSite: WebSite {
    func respond(path: String, query: WebQuery) async throws(WebError) -> WebReply {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let segments = Array(parts)
        switch segments.first {
        case "", nil:
            return WebReply(body: CaptureIndex.render(self))
        case "r":
            guard segments.count == 2, let index = Int(segments[1]), sets.indices.contains(index) else {
                throw WebError(.notFound, "no report \(path)")
            }
            return WebReply(body: await cache.report(index) { self.renderReport(index) })
        case "p":
            guard segments.count >= 3, let n = Int(segments[1]), entries.indices.contains(n), segments[2] == "ui" else {
                throw WebError(.notFound, "no profile \(path)")
            }
            let session = try await cache.session("p/\(n)") { () throws(WebError) in try self.session(sources: [n], bases: []) }
            let rest = segments.count > 3 ? segments[3...].joined(separator: "/") : ""
            return try UIRoutes.respond(Substring(rest), query: query, session: session, uiPath: "\(mountPath)/p/\(n)/ui/",
                                        breadcrumbs: home + [("index", mountPath + "/")])
        case "c":
            guard segments.count >= 5, segments[1] == "diff" || segments[1] == "base",
                  let a = Int(segments[2]), let b = Int(segments[3]), entries.indices.contains(a), entries.indices.contains(b),
                  segments[4] == "ui" else {
                throw WebError(.notFound, "no comparison \(path): use /c/diff/A/B/ui/ or /c/base/A/B/ui/")
            }
            let diff = segments[1] == "diff"
            let key = "c/\(segments[1])/\(a)/\(b)"
            let session = try await cache.session(key) { () throws(WebError) in
                try self.session(sources: [b], bases: [a], diffBase: diff)
            }
            let rest = segments.count > 5 ? segments[5...].joined(separator: "/") : ""
            return try UIRoutes.respond(Substring(rest), query: query, session: session, uiPath: "\(mountPath)/\(key)/ui/",
                                        breadcrumbs: home + [("index", mountPath + "/")])
        default:
            throw WebError(.notFound, "not found: \(path)")
        }
    }

    /// Parses the entries' files (only paths listed at start-up) into a session.
    func session(sources: [Int], bases: [Int], diffBase: Bool = false) throws(WebError) -> PprofSession {
        func load(_ n: Int) throws(WebError) -> Profile {
            do {
                return try Profile.parse(try FileBytes.read(entries[n].path))
            } catch let error as OneLineError {
                throw WebError(.internalServerError, error.message)
            } catch {
                throw WebError(.internalServerError, "\(entries[n].path): \(error)")
            }
        }
        var sourceProfiles: [Profile] = []
        for n in sources { sourceProfiles.append(try load(n)) }
        var baseProfiles: [Profile] = []
        for n in bases { baseProfiles.append(try load(n)) }
        let names = { (list: [Int]) in list.map { URL(fileURLWithPath: self.entries[$0].path).lastPathComponent }.joined(separator: " + ") }
        var title = names(sources)
        if !bases.isEmpty { title += (diffBase ? " vs " : " − ") + names(bases) }
        do {
            return try PprofSession(sources: sourceProfiles, bases: baseProfiles, diffBase: diffBase, title: title)
        } catch {
            throw WebError(.badRequest, error.message)
        }
    }

    func renderReport(_ index: Int) -> [UInt8] {
        let set = sets[index]
        let report = Diagnosis.run(set.input)
        let html = DiagnosisHTML.render(report, cpuProfile: set.input.cpuProfiles.last?.profile,
                                        title: "leakscope diagnose " + set.title)
        return Array(html.utf8)
    }
}

/// Sessions and reports already built, so a second view of the same profile does not parse it
/// again. Bounded: the oldest sessions are dropped beyond `maxSessions`.
actor SiteCache {
    static let maxSessions = 6
    private var sessions: [(key: String, session: PprofSession)] = []
    private var reports: [Int: [UInt8]] = [:]

    func session(_ key: String, make: @Sendable () throws(WebError) -> PprofSession) throws(WebError) -> PprofSession {
        if let found = sessions.firstIndex(where: { $0.key == key }) {
            let entry = sessions.remove(at: found)
            sessions.append(entry)
            return entry.session
        }
        let session = try make()
        sessions.append((key, session))
        if sessions.count > Self.maxSessions { sessions.removeFirst() }
        return session
    }

    func report(_ index: Int, make: @Sendable () -> [UInt8]) -> [UInt8] {
        if let found = reports[index] { return found }
        let made = make()
        reports[index] = made
        return made
    }
}
