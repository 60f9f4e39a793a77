// libFuzzer target: profile.proto (gzipped or not) with pprof's fallback to the legacy formats,
// then validation and a re-encode of whatever decoded. Built by scripts/fuzz.sh.
import LeakscopeProfile

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let profile = try? Profile.parse(bytes, limits: FuzzLimits.decode) {
        _ = profile.encode()
    }
    return 0
}
