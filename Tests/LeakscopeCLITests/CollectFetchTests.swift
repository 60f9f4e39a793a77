import Testing
import Foundation
import LeakscopeTestSupport
@testable import LeakscopeCollect
@testable import LeakscopeProfile

/// `ProfileFetcher` against a real Go net/http/pprof server and against endpoints that refuse,
/// 404, answer HTML, stall, never end, or redirect forever. Loopback only; every fetch is bounded
/// by a short timeout and each test's server is stopped when the test ends.
@Suite(.serialized) struct CollectFetchTests {
    private func fetchError(_ url: String, timeout: Duration = .seconds(5), maxBytes: Int = ProfileFetcher.defaultMaxBytes)
        async -> FetchError?
    {
        do {
            _ = try await ProfileFetcher.fetch(url: url, timeout: timeout, maxBytes: maxBytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func realHeapProfileFromNetHTTPPprof() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let bytes = try await ProfileFetcher.fetch(url: server.url("/debug/pprof/heap"), timeout: .seconds(10))
        let profile = try Profile.parse(bytes)
        #expect(profile.sampleTypes.map(\.type) == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
        #expect(profile.functions.contains { $0.name == "main.allocate" })
    }

    @Test func goroutineDumpTextIsFetchedAsIs() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let bytes = try await ProfileFetcher.fetch(url: server.url("/debug/pprof/goroutine?debug=2"), timeout: .seconds(10))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("goroutine "))
        #expect(text.contains("net/http.(*Server).Serve") || text.contains("net/http.Serve"))
    }

    @Test func redirectToAProfileIsFollowed() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let bytes = try await ProfileFetcher.fetch(url: server.url("/moved-heap"), timeout: .seconds(10))
        #expect(try Profile.parse(bytes).sampleTypes.count == 4)
    }

    @Test func connectionRefused() async throws {
        let url = "http://127.0.0.1:\(try closedLoopbackPort())/debug/pprof/heap"
        let error = try #require(await fetchError(url))
        #expect(error.kind == .connectionRefused)
        #expect(error.description == "\(url): connection refused (is the program running, and is net/http/pprof serving on this port?)")
    }

    @Test func notFoundHintsAtMissingNetHTTPPprof() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = server.url("/metrics/heap")
        let error = try #require(await fetchError(url))
        #expect(error.kind == .httpStatus(404))
        #expect(error.description == "\(url): server response: 404 Not Found (net/http/pprof not registered at this path?)")
    }

    @Test func netHTTPPprofsOwnErrorTextIsPassedOn() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = server.url("/debug/pprof/nosuchprofile")
        let error = try #require(await fetchError(url))
        #expect(error.kind == .httpStatus(404))
        #expect(error.description == "\(url): server response: 404 Not Found - Unknown profile")
    }

    @Test(arguments: ["/html", "/html-untyped"])
    func htmlIsNotAProfile(path: String) async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let error = try #require(await fetchError(server.url(path)))
        #expect(error.kind == .htmlResponse)
        #expect(error.message.hasPrefix("got an HTML page, not a profile"))
    }

    @Test func bodyThatStallsTimesOut() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let started = ContinuousClock.now
        let url = server.url("/stall-body")
        let error = try #require(await fetchError(url, timeout: .seconds(2)))
        #expect(ContinuousClock.now - started < .seconds(6))
        #expect(error.kind == .timedOut(receivedBytes: 100))
        #expect(error.description == "\(url): response body stalled after 100 bytes; gave up after 2s (-timeout to wait longer)")
    }

    @Test func serverThatNeverAnswersTimesOut() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let started = ContinuousClock.now
        let url = server.url("/stall-head")
        let error = try #require(await fetchError(url, timeout: .seconds(1)))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(error.kind == .timedOut(receivedBytes: nil))
        #expect(error.description == "\(url): no response within 1s (-timeout to wait longer)")
    }

    @Test func endlessBodyStopsAtTheCap() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = server.url("/endless")
        let error = try #require(await fetchError(url, timeout: .seconds(20), maxBytes: 1 << 20))
        #expect(error.kind == .tooLarge(limit: 1 << 20))
        #expect(error.description == "\(url): response body passed the 1.0 MB limit; stopped reading")
    }

    @Test func announcedHugeBodyIsRefusedBeforeReading() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = server.url("/huge-length")
        let error = try #require(await fetchError(url))
        #expect(error.kind == .tooLarge(limit: ProfileFetcher.defaultMaxBytes))
        #expect(error.description == "\(url): response is 1,099,511,627,776 bytes, over the 512 MB limit")
    }

    @Test func redirectLoopAndEndlessRedirectChain() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let loop = try #require(await fetchError(server.url("/loop")))
        #expect(loop.kind == .redirectLoop)
        #expect(loop.description == "\(server.url("/loop")): redirect loop")
        let chain = try #require(await fetchError(server.url("/chain/0")))
        #expect(chain.kind == .tooManyRedirects)
        #expect(chain.description == "\(server.url("/chain/0")): more than \(ProfileFetcher.maxRedirects) redirects")
    }

    @Test func nonHTTPURLIsRefused() async throws {
        let error = try #require(await fetchError("ftp://127.0.0.1/heap"))
        #expect(error.kind == .invalidURL)
        #expect(!error.description.contains("\n"))
    }
}

extension CollectFetchTests {
    @Test func untrustedCertificateFailsAndInsecureSkipsTheCheck() async throws {
        let server = try await CollectServer()
        defer { server.stop() }
        let url = "https://\(server.tlsAddress)/debug/pprof/heap"
        let error = try #require(await fetchError(url))
        #expect(error.kind == .tlsFailed)
        #expect(error.message == "TLS handshake failed: the server's certificate is not trusted (https+insecure:// skips the check)")
        #expect(!error.description.contains("\n"))
        let bytes = try await ProfileFetcher.fetch(url: url, timeout: .seconds(10), verifyCertificates: false)
        #expect(try Profile.parse(bytes).sampleTypes.count == 4)
    }
}
