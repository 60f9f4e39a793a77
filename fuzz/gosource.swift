// libFuzzer target: the Go source front end (scanner with semicolon insertion, parser) and, on
// files that parse, every lint check over a one-file package. Built by scripts/fuzz.sh.
import LeakscopeGoSource
import LeakscopeLint

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoSource(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file = SourceFile(path: "fuzz.go", bytes: bytes)
    _ = file.errorDescription
    guard let syntax = file.syntax else { return 0 }
    let package = GoPackage(directory: ".", name: syntax.packageName.name, path: "fuzz", files: [file], goMinor: 22)
    for finding in Linter().run([package]) { _ = file.position(of: Int32(finding.column)) }
    return 0
}
