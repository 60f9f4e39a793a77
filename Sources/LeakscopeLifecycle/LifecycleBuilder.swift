import LeakscopeGoSymbols
import LeakscopeTrace

/// Follows every goroutine through a trace's events and tallies them per creation site.
///
/// Memory is bounded by the goroutines alive at one time plus the distinct creation sites: a goroutine
/// that ends is folded into its site's counts and forgotten.
public final class LifecycleBuilder: TraceConsumer {
    /// One goroutine that is alive.
    struct Live {
        var site: Int32
        var created: Int64
        var state: GoroutineState
        /// When it entered `state`.
        var since: Int64
        var reason: Int32
        /// Stack of its last block (or of its status event).
        var stack: Int32
    }

    /// Running totals for one site.
    struct SiteTally {
        var key: SiteKey
        var created = 0
        var ended = 0
        var alive = 0
        var peakAlive = 0
        /// Lifetimes of ended goroutines in power-of-two nanosecond buckets.
        var lifetimes = [Int](repeating: 0, count: 64)
        var createdPerGeneration: [Int] = []
        /// Completed waits by reason; a handful of reasons per site, so a list beats hashing.
        var blocked: [(reason: Int32, count: Int, nanoseconds: Int64)] = []
        /// Completed waits by the application function they waited in (interned; 0 when unknown).
        var waits: [(function: Int32, count: Int, nanoseconds: Int64)] = []
        /// Wake-ups of this site's goroutines by the site of the goroutine that woke them (-1: no
        /// goroutine, the runtime's timers, network poller or scheduler).
        var wakers: [(site: Int32, count: Int)] = []
    }

    /// Where goroutines come from: the creating frame (interned function, file, line) and the entry function.
    struct SiteKey: Hashable {
        var function: Int32
        var file: Int32
        var line: Int32
        var entry: Int32
        var preExisting: Bool
    }

    // The properties below are touched for every event (millions per second). The builder is used by
    // one reader on one thread and never calls out while it changes them, so dynamic exclusivity
    // checks (an access-set insert per property access, half the time of a read) are turned off.
    @exclusivity(unchecked) var live = GoroutineTable<Live>()
    @exclusivity(unchecked) var tallies: [SiteTally] = []
    @exclusivity(unchecked) private var siteIndex: [SiteKey: Int32] = [:]
    // Caches indexed by interned stack ID (dense from 0), so the per-event lookups hash nothing.
    /// Per creating stack: the entry stack last seen with it and their site (`entry << 32 | site`), -1 for none.
    @exclusivity(unchecked) private var siteOfCreator: [Int64] = []
    /// Pairs of creating and entry stacks beyond the one `siteOfCreator` holds for the creating stack.
    @exclusivity(unchecked) private var siteOfStacks: [UInt64: Int32] = [:]
    /// Per status stack: its pre-existing site, -1 for not yet known.
    @exclusivity(unchecked) private var siteOfStatusStack: [Int32] = []
    /// Per wait stack: the function `waitFunction(stack:names:)` gives, -1 for not yet known.
    @exclusivity(unchecked) private var waitFunctionOfStack: [Int32] = []
    @exclusivity(unchecked) var generationCount = 0
    @exclusivity(unchecked) var firstTime: Int64?
    @exclusivity(unchecked) var lastTime: Int64 = 0
    @exclusivity(unchecked) var preExisting = 0
    @exclusivity(unchecked) var createdTotal = 0
    @exclusivity(unchecked) var endedTotal = 0
    /// Called for every goroutine state change, in order (tests compare them with Go's own reader).
    @exclusivity(unchecked) public var transitionObserver: ((TraceEvent) -> Void)?

    public init() {}

    public func event(_ event: TraceEvent, names: TraceNames) {
        if firstTime == nil { firstTime = event.time }
        lastTime = max(lastTime, event.time)
        guard event.subject != 0 else { return }
        transitionObserver?(event)
        let id = event.subject
        switch (event.from, event.to) {
        case (.notExist, _):
            let site = siteOf(creator: event.stack, entry: event.newStack, names: names)
            live[id] = Live(site: site, created: event.time, state: event.to, since: event.time, reason: 0, stack: 0)
            createdTotal += 1
            tallies[Int(site)].created += 1
            tallies[Int(site)].alive += 1
            tallies[Int(site)].peakAlive = max(tallies[Int(site)].peakAlive, tallies[Int(site)].alive)
            tallies[Int(site)].createdPerGeneration[generationCount] += 1
        case (_, .notExist):
            endedTotal += 1
            guard let goroutine = live[id] else { return }
            live[id] = nil
            let site = Int(goroutine.site)
            tallies[site].ended += 1
            tallies[site].alive -= 1
            if !tallies[site].key.preExisting {
                let lifetime = UInt64(max(1, event.time - goroutine.created))
                tallies[site].lifetimes[63 - lifetime.leadingZeroBitCount] += 1
            }
        case (.undetermined, _):
            preExisting += 1
            let site = siteOf(statusStack: event.stack, names: names)
            live[id] = Live(site: site, created: firstTime ?? event.time, state: event.to,
                            since: firstTime ?? event.time, reason: 0, stack: event.stack)
            tallies[Int(site)].alive += 1
            tallies[Int(site)].peakAlive = max(tallies[Int(site)].peakAlive, tallies[Int(site)].alive)
        default:
            // Read and written back in place (one table lookup); the table does not change in between.
            let storage = live.storage(of: id)
            guard var goroutine = storage?.pointee ?? live[id] else { return }
            if event.from == event.to {
                // A status event at a generation boundary: same state, perhaps a better stack.
                if event.stack != 0 && goroutine.stack == 0 { goroutine.stack = event.stack }
                if let storage { storage.pointee = goroutine } else { live.update(id, to: goroutine) }
                return
            }
            if goroutine.state == .waiting && event.to != .waiting {
                let waited = event.time - goroutine.since
                let site = Int(goroutine.site)
                if let slot = tallies[site].blocked.firstIndex(where: { $0.reason == goroutine.reason }) {
                    tallies[site].blocked[slot].count += 1
                    tallies[site].blocked[slot].nanoseconds = Self.sum(tallies[site].blocked[slot].nanoseconds, waited)
                } else {
                    tallies[site].blocked.append((goroutine.reason, 1, waited))
                }
                let function = waitFunction(stack: goroutine.stack, names: names)
                if let slot = tallies[site].waits.firstIndex(where: { $0.function == function }) {
                    tallies[site].waits[slot].count += 1
                    tallies[site].waits[slot].nanoseconds = Self.sum(tallies[site].waits[slot].nanoseconds, waited)
                } else {
                    tallies[site].waits.append((function, 1, waited))
                }
            }
            if event.type == .goUnblock {
                let site = Int(goroutine.site)
                let waker = event.goroutine == 0 ? -1 : live[event.goroutine]?.site ?? -1
                if let slot = tallies[site].wakers.firstIndex(where: { $0.site == waker }) {
                    tallies[site].wakers[slot].count += 1
                } else {
                    tallies[site].wakers.append((waker, 1))
                }
            }
            goroutine.state = event.to
            goroutine.since = event.time
            if event.to == .waiting {
                goroutine.reason = event.reason
                goroutine.stack = event.stack
            }
            if let storage { storage.pointee = goroutine } else { live.update(id, to: goroutine) }
        }
    }

    public func generationEnded(_ generation: TraceGeneration, names: TraceNames) {
        generationCount += 1
        for index in tallies.indices { tallies[index].createdPerGeneration.append(0) }
    }

    /// The site of a goroutine created with `creator` as the creating stack and `entry` as its own.
    private func siteOf(creator: Int32, entry: Int32, names: TraceNames) -> Int32 {
        let index = Int(creator)
        if index >= 0 && index < siteOfCreator.count {
            let cached = siteOfCreator[index]
            if cached >= 0 && Int32(truncatingIfNeeded: cached >> 32) == entry { return Int32(truncatingIfNeeded: cached) }
        }
        let cacheKey = UInt64(UInt32(bitPattern: creator)) << 32 | UInt64(UInt32(bitPattern: entry))
        if let site = siteOfStacks[cacheKey] { return site }
        let entryFrame = names.stack(entry).first
        let entryFunction = entryFrame?.function ?? 0
        // The runtime's own goroutines (GC workers, the trace reader) are started by whatever code
        // happened to trigger them: they belong to their entry function, not to that code.
        let frames = ApplicationCode.packagePath(of: names.string(entryFunction)).hasPrefix("runtime")
            ? [] : names.stack(creator)
        let frame = frames.first { ApplicationCode.isApplication(names.string($0.function)) } ?? frames.first ?? entryFrame
        let key = SiteKey(function: frame?.function ?? 0, file: frame?.file ?? 0, line: frame?.line ?? 0,
                          entry: entryFunction, preExisting: false)
        let site = site(for: key)
        if index >= 0 && index < names.stackCount {
            Self.grow(&siteOfCreator, to: names.stackCount, with: -1)
            if siteOfCreator[index] < 0 {
                siteOfCreator[index] = Int64(entry) << 32 | Int64(site)
                return site
            }
        }
        siteOfStacks[cacheKey] = site
        return site
    }

    /// `a + b`, at most `Int64.max` (a hostile trace's times can be far apart).
    static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        let (total, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : total
    }

    /// The application function a wait stack waits in (its first application frame, else its first frame).
    func waitFunction(stack: Int32, names: TraceNames) -> Int32 {
        let index = Int(stack)
        if index >= 0 && index < waitFunctionOfStack.count && waitFunctionOfStack[index] >= 0 { return waitFunctionOfStack[index] }
        let frames = names.stack(stack)
        let function = (frames.first { ApplicationCode.isApplication(names.string($0.function)) } ?? frames.first)?.function ?? 0
        if index >= 0 && index < names.stackCount {
            Self.grow(&waitFunctionOfStack, to: names.stackCount, with: -1)
            waitFunctionOfStack[index] = function
        }
        return function
    }

    /// The site of a goroutine that existed before the trace: the application frame it was seen in.
    private func siteOf(statusStack: Int32, names: TraceNames) -> Int32 {
        let index = Int(statusStack)
        if index >= 0 && index < siteOfStatusStack.count && siteOfStatusStack[index] >= 0 { return siteOfStatusStack[index] }
        let frames = names.stack(statusStack)
        let frame = frames.first { ApplicationCode.isApplication(names.string($0.function)) } ?? frames.last
        let key = SiteKey(function: frame?.function ?? 0, file: frame?.file ?? 0, line: frame?.line ?? 0,
                          entry: frames.last?.function ?? 0, preExisting: true)
        let site = site(for: key)
        if index >= 0 && index < names.stackCount {
            Self.grow(&siteOfStatusStack, to: names.stackCount, with: -1)
            siteOfStatusStack[index] = site
        }
        return site
    }

    /// Pads `cache` with `empty` to `count` entries.
    private static func grow<T>(_ cache: inout [T], to count: Int, with empty: T) {
        if cache.count < count { cache.append(contentsOf: repeatElement(empty, count: count - cache.count)) }
    }

    private func site(for key: SiteKey) -> Int32 {
        if let site = siteIndex[key] { return site }
        let site = Int32(tallies.count)
        var tally = SiteTally(key: key)
        tally.createdPerGeneration = [Int](repeating: 0, count: generationCount + 1)
        tallies.append(tally)
        siteIndex[key] = site
        return site
    }
}
