// libFuzzer target: GODEBUG logs (gctrace, scavtrace, schedtrace, scheddetail). Built by
// scripts/fuzz.sh.
import LeakscopeGodebug

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGodebug(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? RuntimeLog.parse(bytes)
    _ = RuntimeLog.looksLikeRuntimeLog(bytes)
    return 0
}
