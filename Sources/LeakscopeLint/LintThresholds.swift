/// The linter's tuning numbers, in one place, each with the evidence behind it.
enum LintThresholds {
    /// The most turns a counted loop with a literal bound (`for i := 0; i < 3; i++`,
    /// `for range 5`) may have and still count as a short retry: what it leaks per turn it leaks
    /// a known few times per call. dendrite's tag lookup retries three times; ten leaves room for
    /// the usual retry counts without taking in batch loops over fixed sizes.
    static let shortLoopTurns = 10
}
