// libFuzzer target: the legacy text and binary profile parsers directly (heap, CPU, contention,
// count, threadz, Java). Built by scripts/fuzz.sh.
import LeakscopeProfile

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLegacy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? LegacyProfileParser.parse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
