// libFuzzer target: capture manifests (manifest.json). Built by scripts/fuzz.sh.
import Foundation
import LeakscopeCapture

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? CaptureManifest.decode(Data(bytes: data, count: size), source: "fuzz")
    return 0
}
