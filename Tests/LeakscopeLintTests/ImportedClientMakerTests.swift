import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// LS004 across packages: a response left open on a client that another linted package's maker
/// made is `low` when that maker gives every client a Timeout (ezbookkeeping's
/// `httpclient.NewHttpClient(timeout, …)`, docs/LINT.md session 29), and stays `high` when the
/// maker may hand out a client without one, when another value of the field is untimed, or when
/// the maker's package is not linted. The answer does not depend on the order packages stream past.
@Suite struct ImportedClientMakerTests {
    static let files: [String: String] = [
        "go.mod": "module example.com/app\n\ngo 1.22\n",
        "internal/httpclient/httpclient.go": """
        package httpclient

        import (
        \t"net/http"
        \t"time"
        )

        // NewTimed gives every client a Timeout.
        func NewTimed(timeout time.Duration) *http.Client {
        \ttransport := http.DefaultTransport.(*http.Transport).Clone()
        \treturn &http.Client{Transport: transport, Timeout: timeout}
        }

        // NewLocal returns a local given only timed literals.
        func NewLocal(timeout time.Duration) *http.Client {
        \tc := &http.Client{Timeout: timeout}
        \treturn c
        }

        // NewShared may hand out the default client, which has no Timeout.
        func NewShared(shared bool) *http.Client {
        \tif shared {
        \t\treturn http.DefaultClient
        \t}
        \treturn &http.Client{Timeout: time.Minute}
        }
        """,
        "internal/storage/storage.go": """
        package storage

        import (
        \t"net/http"
        \t"time"

        \thc "example.com/app/internal/httpclient"
        \t"example.com/other/untimed"
        )

        type webdav struct {
        \tclient  *http.Client
        \tlocal   *http.Client
        \tshared  *http.Client
        \tmixed   *http.Client
        \tforeign *http.Client
        \tzero    *http.Client
        }

        type factory interface{ NewTimed(d time.Duration) *http.Client }

        func newWebdav(timeout time.Duration, proxy *http.Client) *webdav {
        \tw := &webdav{client: hc.NewTimed(timeout), local: hc.NewLocal(timeout), shared: hc.NewShared(false),
        \t\tforeign: untimed.New(), zero: hc.NewTimed(0)}
        \tw.mixed = hc.NewTimed(timeout)
        \tif proxy != nil {
        \t\tw.mixed = proxy
        \t}
        \treturn w
        }

        func (w *webdav) exists(url string) bool {
        \tresp, err := w.client.Get(url)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func (w *webdav) existsLocal(url string) bool {
        \t_, err := w.local.Get(url)
        \treturn err == nil
        }

        func (w *webdav) existsShared(url string) bool {
        \tresp, err := w.shared.Get(url)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func (w *webdav) existsMixed(url string) bool {
        \tresp, err := w.mixed.Get(url)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        // A parameter named like the import hides it: its method may return any client.
        func existsVia(hc factory, url string) bool {
        \tvar c *http.Client = hc.NewTimed(time.Second)
        \tresp, err := c.Get(url)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        // A Timeout of 0 is none.
        func (w *webdav) existsZero(url string) bool {
        \tresp, err := w.zero.Get(url)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        // Each is called by code not shown (a finding in code nothing calls is low).
        var checks = []any{(*webdav).exists, (*webdav).existsLocal, (*webdav).existsShared, (*webdav).existsMixed, existsVia,
        \t(*webdav).existsZero, (*webdav).existsForeign}

        func (w *webdav) existsForeign(url string) bool {
        \tresp, err := w.foreign.Get(url)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }
        """,
    ]

    /// Each LS004 finding's confidence by method name, packages streamed in `order`.
    static func confidences(reversed: Bool) throws -> [String: Confidence] {
        let findings = try lintModule(files, folder: "imported-client-makers", packages: 2, checks: [Checks.bodyNotClosed],
                                      reversed: reversed)
        var out: [String: Confidence] = [:]
        for finding in findings {
            out[String(finding.function.split(separator: ".").last ?? "")] = finding.confidence
            if finding.confidence == .low { #expect(finding.confidenceNote?.contains("Timeout") == true) }
        }
        return out
    }

    @Test func timedOnlyWhenEveryValueComesFromATimedMaker() throws {
        let found = try Self.confidences(reversed: false)
        #expect(found == [
            "exists": .low,
            "existsLocal": .low,
            // The maker may return http.DefaultClient.
            "existsShared": .high,
            // The field may also hold the caller's client.
            "existsMixed": .high,
            // The maker's package is not linted: nothing is known of it.
            "existsForeign": .high,
            // `hc` is a parameter there, not the import.
            "existsVia": .high,
            // The maker is called with a Timeout of 0.
            "existsZero": .high,
        ])
        #expect(try Self.confidences(reversed: true) == found)
    }

    /// Clients a configuration value makes, past builders (skia-buildbot's
    /// `httputils.DefaultClientConfig().WithTokenSource(ts).Client()`), makers that call makers
    /// and wrappers that return the client they are handed, and clients handed down through
    /// parameters of functions the package only calls (docs/LINT.md, session 36).
    static let configFiles: [String: String] = [
        "go.mod": "module example.com/cfg\n\ngo 1.22\n",
        "internal/httputils/httputils.go": """
        package httputils

        import (
        \t"net/http"
        \t"time"
        )

        type ClientConfig struct {
        \tRequestTimeout time.Duration
        \tRetries        int
        }

        // DefaultClientConfig sets the field Client reads its Timeout from.
        func DefaultClientConfig() ClientConfig { return ClientConfig{RequestTimeout: time.Minute, Retries: 3} }

        // BareClientConfig leaves it 0.
        func BareClientConfig() ClientConfig { return ClientConfig{Retries: 3} }

        func (c ClientConfig) WithoutRetries() ClientConfig {
        \tc.Retries = 0
        \treturn c
        }

        // WithoutTimeout clears the field Client reads: no chain through it is timed.
        func (c ClientConfig) WithoutTimeout() ClientConfig {
        \tc.RequestTimeout = 0
        \treturn c
        }

        func (c ClientConfig) Client() *http.Client {
        \treturn &http.Client{Transport: http.DefaultTransport, Timeout: c.RequestTimeout}
        }

        func NewTimeoutClient() *http.Client { return newConfigured(time.Minute) }

        func newConfigured(timeout time.Duration) *http.Client {
        \treturn addMetrics(&http.Client{Timeout: timeout})
        }

        func addMetrics(c *http.Client) *http.Client {
        \tc.Transport = http.DefaultTransport
        \treturn c
        }

        // NewUntimedClient's wrapper clears the Timeout of the client it is handed.
        func NewUntimedClient() *http.Client { return clearTimeout(&http.Client{Timeout: time.Minute}) }

        func clearTimeout(c *http.Client) *http.Client {
        \tc.Timeout = 0
        \treturn c
        }
        """,
        "cmd/power/main.go": """
        package main

        import (
        \t"net/http"
        \t"os"

        \t"example.com/cfg/internal/httputils"
        )

        type sink struct{ client *http.Client }

        func main() { run(os.Args) }

        func run(urls []string) {
        \tconfigured := httputils.DefaultClientConfig().WithoutRetries().Client()
        \tfor _, u := range urls {
        \t\tviaChain(u)
        \t\tviaField(&sink{client: configured}, u)
        \t\twatch(configured, u)
        \t\tviaCleared(u)
        \t\tviaBare(u)
        \t\tviaWrapper(u)
        \t\tviaClearingWrapper(u)
        \t\tviaParameterOnce(http.DefaultClient, u)
        \t\tviaParameterOnce(configured, u)
        \t}
        \tkeep = viaValue
        }

        var keep func(*http.Client, string) bool

        func viaChain(u string) bool {
        \tvar c *http.Client = httputils.DefaultClientConfig().WithoutRetries().Client()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func viaField(s *sink, u string) bool {
        \tresp, err := s.client.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        // The configured client handed down twice.
        func watch(c *http.Client, u string) bool { return step(c, u) }

        func step(c *http.Client, u string) bool {
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func viaCleared(u string) bool {
        \tvar c *http.Client = httputils.DefaultClientConfig().WithoutTimeout().Client()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func viaBare(u string) bool {
        \tvar c *http.Client = httputils.BareClientConfig().Client()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func viaWrapper(u string) bool {
        \tvar c *http.Client = httputils.NewTimeoutClient()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func viaClearingWrapper(u string) bool {
        \tvar c *http.Client = httputils.NewUntimedClient()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        // One caller passes the default client, which has no Timeout.
        func viaParameterOnce(c *http.Client, u string) bool {
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        // Used as a value: any caller may hand it any client.
        func viaValue(c *http.Client, u string) bool {
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }
        """,
    ]

    @Test func configuredClientsBuildersWrappersAndParameters() throws {
        for reversed in [false, true] {
            let findings = try lintModule(Self.configFiles, folder: "configured-clients", packages: 2, checks: [Checks.bodyNotClosed],
                                          reversed: reversed)
            var found: [String: Confidence] = [:]
            for finding in findings { found[String(finding.function.split(separator: ".").last ?? "")] = finding.confidence }
            #expect(found == [
                "viaChain": .low, "viaField": .low, "step": .low, "viaWrapper": .low,
                // A builder clears the Timeout's field; the configuration never sets it; the wrapper clears it.
                "viaCleared": .high, "viaBare": .high, "viaClearingWrapper": .high,
                // A caller passes an untimed client; the function is used as a value.
                "viaParameterOnce": .high, "viaValue": .high,
            ], "reversed \(reversed): \(found)")
        }
    }

    /// Session 36's code review: shapes in which the client may have no Timeout after all. Each
    /// keeps its finding `high`.
    static let counterexampleFiles: [String: String] = [
        "go.mod": "module example.com/review\n\ngo 1.22\n",
        "internal/cfg/cfg.go": """
        package cfg

        import (
        \t"encoding/json"
        \t"net/http"
        \t"time"
        )

        const NoTimeout = 0

        var defaultTimeout time.Duration

        type Config struct {
        \tRequestTimeout time.Duration
        \tRetries        int
        }

        func Default() Config { return Config{RequestTimeout: time.Minute} }

        func DefaultRef() *Config { return &Config{RequestTimeout: time.Minute} }

        // Zeroed sets the field to a constant 0.
        func Zeroed() Config { return Config{RequestTimeout: NoTimeout} }

        func (c Config) CopyWithout() Config {
        \tout := c
        \tout.RequestTimeout = 0
        \treturn out
        }

        func (c *Config) Reset() *Config {
        \t*c = Config{Retries: 1}
        \treturn c
        }

        func (c Config) Fresh() Config { return Config{Retries: c.Retries} }

        func (c *Config) ViaHelper() *Config {
        \tc.set(0)
        \treturn c
        }

        func (c *Config) set(d time.Duration) { c.RequestTimeout = d }

        func (c *Config) Decoded(b []byte) *Config {
        \t_ = json.Unmarshal(b, c)
        \treturn c
        }

        func (c Config) Client() *http.Client { return &http.Client{Timeout: c.RequestTimeout} }

        // LocalRead reads the field through a local: not followed.
        func (c Config) LocalRead() *http.Client {
        \tt := c.RequestTimeout
        \treturn &http.Client{Timeout: t}
        }

        func NewSwapped(insecure bool) *http.Client { return swap(&http.Client{Timeout: time.Minute}, insecure) }

        func swap(c *http.Client, insecure bool) *http.Client {
        \tif insecure {
        \t\t*c = http.Client{}
        \t}
        \treturn c
        }

        func NewCleared() *http.Client { return clearVia(&http.Client{Timeout: time.Minute}) }

        func clearVia(c *http.Client) *http.Client {
        \tdisable(c)
        \treturn c
        }

        func disable(c *http.Client) { c.Timeout = 0 }

        func NewDefaulted() *http.Client { return newClient(defaultTimeout) }

        const requestTimeout = time.Minute

        // The parameter hides the package constant of its name: the caller's value may be 0.
        func NewShadowed(requestTimeout time.Duration) *http.Client { return newClient(requestTimeout) }

        func newClient(timeout time.Duration) *http.Client { return &http.Client{Timeout: timeout} }
        """,
        "main.go": """
        package main

        import (
        \t"net/http"
        \t"os"
        \t"time"

        \t"example.com/review/internal/cfg"
        )

        var shared *http.Client = http.DefaultClient

        func main() {
        \ttimed := &http.Client{Timeout: time.Minute}
        \tfor _, u := range os.Args {
        \t\tgetCopy(u)
        \t\tgetReset(u)
        \t\tgetFresh(u)
        \t\tgetHelper(u)
        \t\tgetDecoded(u)
        \t\tgetZeroed(u)
        \t\tgetLocalRead(u)
        \t\tgetSwapped(u)
        \t\tgetCleared(u)
        \t\tgetDefaulted(u)
        \t\tgetShadowed(u)
        \t\treassigned(timed, u, len(u) > 3)
        \t\tviaLiteral(timed, u)
        \t\tviaShared(u, len(u) > 3)
        \t}
        \tpollAll(os.Args)
        }

        // Each getter's client may have no Timeout: a builder that zeroes the field through a
        // copy, `*c = …`, a helper or a decoder; a configuration that leaves it 0; a Timeout read
        // through a local; wrappers that swap or clear the client; a maker given a zero variable, or a
        // parameter named like a package constant.

        func getCopy(u string) bool {
        \tvar c *http.Client = cfg.Default().CopyWithout().Client()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getReset(u string) bool {
        \tvar c *http.Client = cfg.DefaultRef().Reset().Client()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getFresh(u string) bool {
        \tvar c *http.Client = cfg.Default().Fresh().Client()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getHelper(u string) bool {
        \tvar c *http.Client = cfg.DefaultRef().ViaHelper().Client()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getDecoded(u string) bool {
        \tvar c *http.Client = cfg.DefaultRef().Decoded(nil).Client()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getZeroed(u string) bool {
        \tvar c *http.Client = cfg.Zeroed().Client()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getLocalRead(u string) bool {
        \tvar c *http.Client = cfg.Default().LocalRead()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getSwapped(u string) bool {
        \tvar c *http.Client = cfg.NewSwapped(true)
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getCleared(u string) bool {
        \tvar c *http.Client = cfg.NewCleared()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getDefaulted(u string) bool {
        \tvar c *http.Client = cfg.NewDefaulted()
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        func getShadowed(u string) bool {
        \tvar c *http.Client = cfg.NewShadowed(time.Duration(len(u)))
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        // The callee swaps the client it was given.
        func reassigned(c *http.Client, u string, insecure bool) bool {
        \tif insecure {
        \t\tc = &http.Client{Transport: http.DefaultTransport}
        \t}
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        // The caller's literal has a parameter of the same name, given the default client.
        func viaLiteral(c *http.Client, u string) {
        \tgo func(c *http.Client) { fetchOnce(c, u) }(http.DefaultClient)
        \tfetchOnce(c, u)
        }

        func fetchOnce(c *http.Client, u string) bool {
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }

        // A package-level variable may hold any client.
        func viaShared(u string, limited bool) {
        \tif limited {
        \t\tshared = &http.Client{Timeout: time.Minute}
        \t}
        \tfetchShared(shared, u)
        }

        func fetchShared(c *http.Client, u string) bool {
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }
        """,
        // Another platform's file calls the helper with an untimed client.
        "poll_windows.go": """
        package main

        import "net/http"

        func pollWindows(us []string) {
        \tfor _, u := range us {
        \t\tfetchPolled(http.DefaultClient, u)
        \t}
        }
        """,
        "poll.go": """
        package main

        import (
        \t"net/http"
        \t"time"
        )

        func pollAll(us []string) {
        \tfor _, u := range us {
        \t\tfetchPolled(&http.Client{Timeout: time.Minute}, u)
        \t}
        }

        func fetchPolled(c *http.Client, u string) bool {
        \tresp, err := c.Get(u)
        \tif err != nil {
        \t\treturn false
        \t}
        \treturn resp.StatusCode == http.StatusOK
        }
        """,
    ]

    @Test func clientsThatMayLoseTheirTimeoutStayHigh() throws {
        let findings = try lintModule(Self.counterexampleFiles, folder: "configured-client-counterexamples", packages: 2,
                                      checks: [Checks.bodyNotClosed])
        var found: [String: Confidence] = [:]
        for finding in findings { found[String(finding.function.split(separator: ".").last ?? "")] = finding.confidence }
        var expected: [String: Confidence] = ["reassigned": .high, "fetchOnce": .high, "fetchShared": .high, "fetchPolled": .high]
        for getter in ["getCopy", "getReset", "getFresh", "getHelper", "getDecoded", "getZeroed", "getLocalRead", "getSwapped",
                       "getCleared", "getDefaulted", "getShadowed"] { expected[getter] = .high }
        #expect(found == expected, "\(found)")
    }
}
