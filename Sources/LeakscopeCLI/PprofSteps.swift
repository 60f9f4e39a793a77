import LeakscopeAnalysis
import LeakscopeProfile

/// The library calls behind `leakscope pprof`, in one place: decode, combine, transform, render.
enum PprofSteps {
    /// A rendered report and what pprof would say on stderr about it.
    struct Report {
        var bytes: [UInt8]
        var warnings: [String]
        /// The merged profile before report options: sources minus bases (what pprof saves after
        /// fetching over HTTP).
        var combined: Profile?
    }

    static func parse(_ bytes: [UInt8], source: String) throws(CLIError) -> Profile {
        do {
            return try Profile.parse(bytes)
        } catch {
            throw CLIError(error.from(source).description)
        }
    }

    static func report(sources: consuming [Profile], bases: consuming [Profile], invocation: PprofInvocation)
        throws(CLIError) -> Report {
        do {
            return try buildReport(sources: sources, bases: bases, invocation: invocation)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(String(describing: error))
        }
    }

    private static func buildReport(sources: consuming [Profile], bases: consuming [Profile], invocation: PprofInvocation)
        throws -> Report {
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
        return Report(bytes: bytes, warnings: prepared.warnings, combined: combined)
    }

    /// `-flame`: widths from the (merged) sources; with `-base`/`-diff_base`, colours from the
    /// change against the merged, un-negated base, filtered the same way.
    private static func flamePage(sources: [Profile], bases: [Profile], invocation: PprofInvocation) throws -> Report {
        let options = invocation.options
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
        return Report(bytes: page, warnings: prepared.warnings, combined: bases.isEmpty ? profile : nil)
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

    private static func title(_ invocation: PprofInvocation) -> String {
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
