import LeakscopeGoSymbols
import LeakscopeProfile
import LeakscopeFindings

extension ContentionAnalysis {
    /// Sums of one contention profile (mutex or block) per site.
    struct SiteTotals {
        struct Key: Hashable {
            var function: String
            var file: String
            var line: Int
            var isApplication: Bool
            var kind: ContentionWaitKind
        }
        struct Entry {
            var contentions = 0.0
            var delayNanos = 0.0
            var call: String?
            var stack: [String] = []
            var heaviest = -Double.infinity
        }
        var entries: [Key: Entry] = [:]
        var hasTypes = true

        /// Sums `profile` per site; `isMutex` says the stacks end at Unlock (holders).
        init(_ profile: Profile, isMutex: Bool) {
            let table = StackFrames(profile)
            let countIndex = StackFrames.sampleTypeIndex(profile, ["contentions"])
            let delayIndex = StackFrames.sampleTypeIndex(profile, ["delay"])
            hasTypes = delayIndex != nil
            guard let delayIndex else { return }
            for sample in profile.samples {
                let delay = sample.value(at: delayIndex)
                let count = countIndex.map { sample.value(at: $0) } ?? 0
                if delay == 0 && count == 0 { continue }
                let frames = table.frames(of: sample, limit: 256)
                let app = table.firstApplicationIndex(frames)
                let inside = frames[..<(app ?? frames.count)].map { table.name($0) }
                let kind = isMutex ? .lockRelease : ContentionAnalysis.waitKind(inside)
                let siteFrame = app.map { frames[$0] } ?? frames.first { $0.function >= 0 }
                let site = siteFrame.map(table.site) ?? SourceSite(function: "(no stack)", file: "", line: 0)
                let key = Key(function: site.function, file: site.file, line: site.line, isApplication: app != nil, kind: kind)
                var entry = entries[key] ?? Entry()
                entry.contentions += count
                entry.delayNanos += delay
                if delay > entry.heaviest {
                    entry.heaviest = delay
                    entry.stack = table.describe(frames, limit: 64)
                    entry.call = app.flatMap { $0 > 0 ? table.name(frames[$0 - 1]) : nil }
                }
                entries[key] = entry
            }
        }
    }

    /// What the frames inside the application frame (innermost first) wait on.
    static func waitKind(_ functions: [String]) -> ContentionWaitKind {
        switch SyncPrimitive.waitedOn(functions) {
        case .mutex: return .mutex
        case .rwMutex: return .rwMutex
        case .waitGroup: return .waitGroup
        case .cond: return .cond
        case nil: break
        }
        for name in functions {
            if name.hasPrefix("runtime.chanrecv") || name.hasPrefix("reflect.chanrecv") { return .chanReceive }
            if name.hasPrefix("runtime.chansend") || name.hasPrefix("reflect.chansend") { return .chanSend }
            if name.hasPrefix("runtime.selectgo") || name.hasPrefix("reflect.rselect") { return .select }
        }
        return .other
    }

    /// Sites over the window: the last snapshot minus the first (profiles are cumulative since the
    /// process started), or the only snapshot's totals.
    static func sites(_ profiles: [TimedProfile], isMutex: Bool, elapsed: Double?, notes: inout [String]) -> [ContentionSite] {
        guard let lastProfile = profiles.last else { return [] }
        let last = SiteTotals(lastProfile.profile, isMutex: isMutex)
        if !last.hasTypes {
            notes.append("\(lastProfile.name): no delay sample type; not a mutex or block profile?")
        }
        var first: SiteTotals?
        if profiles.count >= 2 { first = SiteTotals(profiles[0].profile, isMutex: isMutex) }
        var restarted = false
        var result: [ContentionSite] = []
        for (key, entry) in last.entries {
            var contentions = entry.contentions, delay = entry.delayNanos
            if let before = first?.entries[key] {
                if before.delayNanos > delay || before.contentions > contentions {
                    restarted = true  // keep the later totals: they count from the restart
                } else {
                    contentions -= before.contentions
                    delay -= before.delayNanos
                }
            }
            guard delay > 0 || contentions > 0 else { continue }
            let seconds = delay / 1e9
            result.append(ContentionSite(
                location: SourceSite(function: key.function, file: key.file, line: key.line),
                isApplication: key.isApplication, kind: key.kind, call: entry.call, contentions: contentions,
                delaySeconds: seconds, averageWaiting: elapsed.map { seconds / $0 },
                contentionsPerSecond: elapsed.map { contentions / $0 }, stack: entry.stack))
        }
        if restarted {
            notes.append("\(isMutex ? "mutex" : "block") profile counts went down between snapshots (process restarted?); those sites count from zero")
        }
        return result.sorted {
            $0.delaySeconds != $1.delaySeconds ? $0.delaySeconds > $1.delaySeconds : $0.location.short < $1.location.short
        }
    }
}
