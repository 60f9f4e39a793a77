import AsyncHTTPClient
import NIOCore
import NIOSSL
import Synchronization

/// The HTTP clients every fetch shares: one per distinct connection setting (certificate checks, CA
/// file, connect timeout), kept for the life of the process, so repeated fetches from one target
/// reuse their connections and event loop instead of building a client per request.
///
/// Limits that belong to one request (its deadline, its body cap) are applied per request by
/// `ProfileFetcher`, not here.
package final class HTTPClients: Sendable {
    /// What a client is configured with.
    package struct Settings: Hashable, Sendable {
        package var verifyCertificates: Bool
        package var caFile: String?
        package var connectMilliseconds: Int64

        package init(verifyCertificates: Bool, caFile: String?, connectMilliseconds: Int64) {
            self.verifyCertificates = verifyCertificates
            self.caFile = caFile
            self.connectMilliseconds = connectMilliseconds
        }
    }

    package static let shared = HTTPClients()

    private let clients = Mutex<[Settings: HTTPClient]>([:])

    /// The client for `settings`, made on first use.
    package func client(_ settings: Settings) -> HTTPClient {
        clients.withLock { clients in
            if let client = clients[settings] { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(settings))
            clients[settings] = client
            return client
        }
    }

    private static func configuration(_ settings: Settings) -> HTTPClient.Configuration {
        // No read timeout here: each request's own deadline covers the whole exchange, body included.
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,  // ProfileFetcher follows redirects itself, checking each
            timeout: .init(connect: .milliseconds(settings.connectMilliseconds)))
        configuration.decompression = .disabled  // profiles are gzip files themselves: keep the bytes
        if !settings.verifyCertificates || settings.caFile != nil {
            var tls = TLSConfiguration.makeClientConfiguration()
            if !settings.verifyCertificates { tls.certificateVerification = .none }
            if let caFile = settings.caFile { tls.trustRoots = .file(caFile) }
            configuration.tlsConfiguration = tls
        }
        // One-shot fetches: a refused connection is an answer, not something to retry until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }
}
