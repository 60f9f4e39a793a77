// libFuzzer target: Go execution traces, read whole by the streaming reader (every event decoded,
// ordered and applied to goroutine states). Built by scripts/fuzz.sh.
import LeakscopeTrace

/// Reads events and keeps none.
final class Discard: TraceConsumer {
    func event(_ event: TraceEvent, names: TraceNames) {}
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrace(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let reader = try? TraceReader(bytes: Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    // A generation cannot be larger than the input; the cap keeps a hostile size from mattering anyway.
    reader.maxGenerationBytes = 1 << 20
    try? reader.read(into: Discard())
    return 0
}
