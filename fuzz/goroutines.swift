// libFuzzer target: goroutine dumps (debug=1, debug=2, crash output), fed whole and in two
// pieces so that chunk boundaries are fuzzed too. Built by scripts/fuzz.sh.
import LeakscopeGoroutines

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoroutines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? GoroutineDump.parse(bytes)
    if size > 1 {
        var parser = GoroutineDumpParser()
        let cut = Int(bytes[0]) % size
        _ = try? parser.feed(Array(bytes[..<cut]))
        _ = try? parser.feed(Array(bytes[cut...]))
        _ = try? parser.finish()
    }
    return 0
}
