/// Receives a trace's events from `TraceReader.read(into:)`, one generation at a time.
public protocol TraceConsumer: AnyObject {
    /// One event, in reconstructed order. `names` resolves its interned strings and stacks.
    func event(_ event: TraceEvent, names: TraceNames)
    /// The end of a generation: every event of it has been delivered.
    func generationEnded(_ generation: TraceGeneration, names: TraceNames)
}

extension TraceConsumer {
    public func generationEnded(_ generation: TraceGeneration, names: TraceNames) {}
}

/// What a generation was: its number and time span, and the clock that converts its timestamps.
public struct TraceGeneration: Sendable {
    /// The generation number on the wire (the first is usually 1).
    public var number: UInt64
    /// Time of its first and last event, in trace nanoseconds.
    public var start: Int64
    public var end: Int64
    /// Timestamp units per second (15,625,000 on Linux: 64 ns per unit).
    public var frequency: UInt64
    /// Wall-clock time of `clockSnapshotTime`, in Unix nanoseconds, when the trace has a clock snapshot (Go 1.25+).
    public var wallClock: Int64?
    /// Trace time of the clock snapshot.
    public var clockSnapshotTime: Int64?
}
