import Foundation

/// How many child processes the tests run at once, awaited (never blocking a thread).
///
/// Without a limit, async tests would start every Go build, pprof and leakscope run at once, and
/// fixtures whose output depends on getting CPU in time (GODEBUG traces over a fixed run, CPU
/// profiles) would starve. There is a slot per core plus one, so the machine stays busy while
/// children wait on I/O; a timed child (a timing-sensitive fixture, which mostly waits on its own
/// clock) takes all but one, so at most one other child runs beside it; an exclusive run takes all.
public actor ChildSlots {
    /// The slots every `ProcessRunner.run` shares.
    public static let shared = ChildSlots(permits: max(1, ProcessInfo.processInfo.activeProcessorCount) + 1)

    /// How a child counts against the slots.
    public enum Use: Sendable {
        /// One slot: the default.
        case one
        /// All slots but one: at most one other child runs beside it.
        case timed
        /// Every slot: the child runs alone.
        case all
        /// None: the caller holds slots already (inside `withSlots(for: .all)`), so taking more would deadlock.
        case alreadyHeld
    }

    public let permits: Int
    private var inUse = 0
    private var waiters: [(needs: Int, continuation: CheckedContinuation<Void, Never>)] = []

    public init(permits: Int) { self.permits = permits }

    /// Runs `body` holding the slots `use` asks for (none for `.alreadyHeld`).
    public func withSlots<T: Sendable>(for use: Use, _ body: @Sendable () async throws -> T) async rethrows -> T {
        switch use {
        case .one: try await withSlots(1, body)
        case .timed: try await withSlots(max(1, permits - 1), body)
        case .all: try await withSlots(permits, body)
        case .alreadyHeld: try await body()
        }
    }

    private func withSlots<T: Sendable>(_ needs: Int, _ body: @Sendable () async throws -> T) async rethrows -> T {
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
