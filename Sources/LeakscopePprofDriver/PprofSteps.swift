import LeakscopeBytes
import LeakscopeFlame
import LeakscopePprof
import LeakscopePresentation
import LeakscopeProfile

/// A finished report: its bytes as pprof would write them, and what pprof prints beside it.
public struct PprofResult: Sendable {
    /// The report exactly as `go tool pprof` writes it to stdout or `-output`.
    public var bytes: [UInt8]
    /// Lines pprof prints on stderr (e.g. dropped-sample notes), in order.
    public var warnings: [String]
    /// The merged profile before report options: sources minus bases (what pprof saves after
    /// fetching over HTTP).
    public var combined: Profile?
    /// Whether any source came over HTTP.
    public var fetchedRemotely = false
}

/// The library calls behind `leakscope pprof`, in one place: decode, combine, transform, render.
enum PprofSteps {
    /// Decodes one source, naming it in the error.
    static func parse(_ bytes: [UInt8], source: String) throws(OneLineError) -> Profile {
        do {
            return try Profile.parse(bytes)
        } catch {
            throw OneLineError(error.from(source).description)
        }
    }

    static func report(sources: consuming [Profile], bases: consuming [Profile], invocation: PprofInvocation)
        throws(OneLineError) -> PprofResult {
        do {
            return try buildReport(sources: sources, bases: bases, invocation: invocation)
        } catch let error as OneLineError {
            throw error
        } catch {
            throw OneLineError(String(describing: error))
        }
    }

    private static func buildReport(sources: consuming [Profile], bases: consuming [Profile], invocation: PprofInvocation)
        throws -> PprofResult {
        let command = invocation.command
        let options = invocation.options
        if case .flame = command {
            return try flamePage(sources: sources, bases: bases, invocation: invocation)
        }
        let combined = finish(try PprofReport.combine(
            sources: consume sources, bases: consume bases, diffBase: invocation.diffBase, normalize: options.normalize),
            invocation)
        let prepared = try PprofReport.applyOptions(combined, command: command, options: options)
        let bytes: [UInt8]
        switch command {
        case .collapsed:
            bytes = Array(FlameGraph.collapsed(prepared.profile, valueIndex: prepared.valueIndex, options: options).utf8)
        case .speedscope:
            bytes = FlameGraph.speedscope(prepared.profile, valueIndex: prepared.valueIndex, options: options,
                                          name: title(invocation))
        default:
            bytes = try PprofReport.render(prepared, command: command, options: options)
        }
        return PprofResult(bytes: bytes, warnings: prepared.warnings, combined: combined)
    }

    /// `-flame`: widths from the (merged) sources; with `-base`/`-diff_base`, colours from the
    /// change against the merged, un-negated base, filtered the same way.
    private static func flamePage(sources: [Profile], bases: [Profile], invocation: PprofInvocation) throws -> PprofResult {
        let options = invocation.options
        if !bases.isEmpty && !invocation.diffBase {
            // -base is a subtraction: the page shows what is left (shrunk parts, negative, as the base).
            let combined = finish(try PprofReport.combine(sources: sources, bases: bases, diffBase: false,
                                                          normalize: options.normalize), invocation)
            let prepared = try PprofReport.applyOptions(combined, command: .flame, options: options)
            let page = FlameGraph.html(prepared.profile, valueIndex: prepared.valueIndex, options: options,
                                       title: title(invocation))
            return PprofResult(bytes: page, warnings: prepared.warnings, combined: combined)
        }
        var profile = finish(try PprofReport.combine(sources: sources, bases: [], diffBase: false, normalize: false),
                             invocation)
        var basePrepared: PreparedProfile? = nil
        if !bases.isEmpty {
            let base = finish(try PprofReport.combine(sources: bases, bases: [], diffBase: false, normalize: false),
                              invocation)
            if options.normalize { try profile.normalize(to: base) }
            basePrepared = try PprofReport.applyOptions(base, command: .flame, options: options)
        }
        let prepared = try PprofReport.applyOptions(profile, command: .flame, options: options)
        let page = FlameGraph.html(prepared.profile, valueIndex: prepared.valueIndex, base: basePrepared?.profile,
                                   options: options, title: title(invocation))
        return PprofResult(bytes: page, warnings: prepared.warnings, combined: bases.isEmpty ? profile : nil)
    }

    /// pprof's last touches after merging: `-add_comment` and `-all_frames`.
    private static func finish(_ profile: consuming Profile, _ invocation: PprofInvocation) -> Profile {
        var profile = profile
        if let comment = invocation.addComment { profile.comments.append(comment) }
        if invocation.allFrames {
            profile.dropFrames = ""
            profile.keepFrames = ""
        }
        return profile
    }

    static func title(_ invocation: PprofInvocation) -> String {
        let names = invocation.sources.map { source in
            source.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? source
        }
        var title = names.joined(separator: " + ")
        if !invocation.bases.isEmpty {
            title += (invocation.diffBase ? " vs " : " − ") + invocation.bases.map { source in
                source.split(separator: "/").last.map(String.init) ?? source
            }.joined(separator: " + ")
        }
        return title
    }
}
