import Foundation

/// How many child processes the tests run at once, awaited (never blocking a thread).
///
/// Without a limit, async tests would start every Go build, pprof and leakscope run at once, and
/// fixtures whose output depends on getting CPU in time (GODEBUG traces over a fixed run, CPU
/// profiles, timeouts) would starve. One child per core keeps the machine as busy as it can be;
/// an exclusive run (a timing-sensitive fixture) waits until it is the only child.
public actor ChildSlots {
    /// The slots every `ProcessRunner.run` shares.
    public static let shared = ChildSlots(permits: max(1, ProcessInfo.processInfo.activeProcessorCount))

    /// How a child counts against the slots.
    public enum Use: Sendable {
        /// One slot: the default.
        case one
        /// Every slot: the child runs alone.
        case all
        /// None: the caller holds slots already (inside `withSlot`), so taking more would deadlock.
        case alreadyHeld
    }

    public let permits: Int
    private var inUse = 0
    private var exclusiveWaiting = 0
    private var waiters: [(needs: Int, continuation: CheckedContinuation<Void, Never>)] = []

    public init(permits: Int) { self.permits = permits }

    /// Runs `body` holding one slot, or all of them when `exclusive`.
    public func withSlot<T: Sendable>(exclusive: Bool = false,
                                      _ body: @Sendable () async throws -> T) async rethrows -> T {
        let needs = exclusive ? permits : 1
        await acquire(needs)
        defer { release(needs) }
        return try await body()
    }

    private func acquire(_ needs: Int) async {
        // First come, first served: a newcomer does not overtake a waiting exclusive run.
        if waiters.isEmpty && inUse + needs <= permits {
            inUse += needs
            return
        }
        await withCheckedContinuation { waiters.append((needs, $0)) }
    }

    private func release(_ count: Int) {
        inUse -= count
        while let next = waiters.first, inUse + next.needs <= permits {
            waiters.removeFirst()
            inUse += next.needs
            next.continuation.resume()
        }
    }
}
