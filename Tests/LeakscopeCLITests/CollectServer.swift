import Foundation
import LeakscopeTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A running `Tests/Fixtures/go/collectserver`: real net/http/pprof plus misbehaving endpoints, on
/// 127.0.0.1 only. Stopped by `stop()` (and in any case by itself after 30 minutes: a test whose continuation waits behind
/// long synchronous tests on the cooperative pool must still find it listening).
final class CollectServer: @unchecked Sendable {
    let address: String
    /// The same endpoints over HTTPS, with a self-signed certificate no client trusts.
    let tlsAddress: String
    private let process: Process

    /// Builds (once per test run) and starts the server; returns when it is listening.
    /// `directory` is served under `/file/`; `toolchain` builds the server (its net/http/pprof and runtime).
    init(serving directory: URL? = nil, toolchain: GoToolchain.Kind = .current) throws {
        let binary = try GoFixtures.build("collectserver", toolchain: toolchain)
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("leakscope-collect-\(getpid())-\(UUID().uuidString)")
        let addressFile = scratch.appendingPathExtension("addr")
        let tlsAddressFile = scratch.appendingPathExtension("tls-addr")
        defer {
            try? FileManager.default.removeItem(at: addressFile)
            try? FileManager.default.removeItem(at: tlsAddressFile)
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["-addr-file", addressFile.path, "-tls-addr-file", tlsAddressFile.path, "-lifetime", "1800s",
                             "-dir", (directory ?? TestPaths.packageRoot).path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Wait up to 10 s for the address: the server writes it once it is listening (the TLS
        // address first).
        let deadline = Date().addingTimeInterval(10)
        var address: String? = nil
        while Date() < deadline {
            if let text = try? String(contentsOf: addressFile, encoding: .utf8), !text.isEmpty {
                address = text
                break
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        guard let address, let tlsAddress = try? String(contentsOf: tlsAddressFile, encoding: .utf8) else {
            process.terminate()
            throw CollectServerError(message: "collectserver did not start listening within 10 s")
        }
        self.address = address
        self.tlsAddress = tlsAddress
    }

    func url(_ path: String) -> String { "http://\(address)\(path)" }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

struct CollectServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A loopback port nothing listens on: bound, read back, then closed.
func closedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CollectServerError(message: "socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw CollectServerError(message: "bind failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
