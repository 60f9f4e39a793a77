/// The linter's tuning numbers, in one place, each with the evidence behind it.
enum LintThresholds {
    /// The most turns a counted loop with a literal bound (`for i := 0; i < 3; i++`,
    /// `for range 5`) may have and still count as a short retry: what it leaks per turn it leaks
    /// a known few times per call. dendrite's tag lookup retries three times; ten leaves room for
    /// the usual retry counts without taking in batch loops over fixed sizes.
    static let shortLoopTurns = 10
}

extension LintThresholds {
    /// How many times `RunsOnce.unreferenced` asks the files for names before it gives up and
    /// keeps every finding `high`: each round that finds a function named may uncover what that
    /// function's body names, so a chain of calls the call graph missed takes one round a link;
    /// three bound the extra reads of the tree (each round reads it once).
    static let mentionRounds = 3

    /// How many calls of its package's own functions `BodyClose.timedMaker` follows from a maker
    /// to the `http.Client` literal (skia-buildbot's `NewTimeoutClient` → `NewConfiguredTimeoutClient`
    /// → `AddMetricsToClient`): deep enough for helpers that wrap helpers, and bounded so that
    /// makers calling each other in a cycle end.
    static let makerCallDepth = 4

    /// How many calls deep LS006 follows a held lock handed from function to function of the
    /// package (`LockRelease.passesLockToReleaser`): multigres's `setInternal` hands its shard to
    /// `setEntry`, which unlocks or hands it on to `processDeque`. Enough for a helper that ends
    /// in a helper; bounded so that functions handing to each other in a cycle end.
    static let handoverDepth = 3

    /// How many method calls deep LS006 follows the receiver of a value the function has just
    /// made (`FreshOwners.receiverStaysHome`) to see that no method keeps it: statshouse's
    /// `NewHandler` calls one loader on its new handler. A method calling methods calling
    /// methods is taken as possibly keeping it.
    static let freshOwnerDepth = 3
}
