import Foundation
import LeakscopeTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A running `Tests/Fixtures/go/collectserver`: real net/http/pprof plus misbehaving endpoints, on
/// 127.0.0.1 only. Stopped by `stop()` (and in any case by itself after 30 minutes, should a test
/// process die without stopping it).
final class CollectServer: Sendable {
    let address: String
    /// The same endpoints over HTTPS, with a self-signed certificate no client trusts.
    let tlsAddress: String
    private let process: ChildProcess

    /// Builds (once per test run) and starts the server; returns when it is listening.
    /// `directory` is served under `/file/`; `toolchain` builds the server (its net/http/pprof and runtime).
    init(serving directory: URL? = nil, toolchain: GoToolchain.Kind = .current) async throws {
        let binary = try await GoFixtures.build("collectserver", toolchain: toolchain)
        let scratch = TestPaths.scratch
            .appendingPathComponent("leakscope-collect-\(getpid())-\(UUID().uuidString)")
        let addressFile = scratch.appendingPathExtension("addr")
        let tlsAddressFile = scratch.appendingPathExtension("tls-addr")
        defer {
            try? FileManager.default.removeItem(at: addressFile)
            try? FileManager.default.removeItem(at: tlsAddressFile)
        }
        process = try ChildProcess(binary.path, ["-addr-file", addressFile.path, "-tls-addr-file", tlsAddressFile.path,
                                                 "-lifetime", "1800s", "-dir", (directory ?? TestPaths.packageRoot).path])
        // Wait up to 10 s for the address: the server writes it once it is listening (the TLS
        // address first).
        let deadline = ContinuousClock.now + .seconds(10)
        var address: String? = nil
        while ContinuousClock.now < deadline, !process.hasExited {
            if let text = try? String(contentsOf: addressFile, encoding: .utf8), !text.isEmpty {
                address = text
                break
            }
            await pause(seconds: 0.02)
        }
        guard let address, let tlsAddress = try? String(contentsOf: tlsAddressFile, encoding: .utf8) else {
            process.signal()
            throw CollectServerError(message: "collectserver did not start listening within 10 s")
        }
        self.address = address
        self.tlsAddress = tlsAddress
    }

    func url(_ path: String) -> String { "http://\(address)\(path)" }

    /// SIGTERM now; the child is reaped in the background, so a `defer` can call this.
    func stop() { process.signal() }

    /// SIGKILL now: the kernel closes the listener without waiting for the Go runtime to be scheduled
    /// and run its SIGTERM handler, which on a loaded machine can take longer than a capture interval.
    func kill() { process.signal(SIGKILL) }

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
