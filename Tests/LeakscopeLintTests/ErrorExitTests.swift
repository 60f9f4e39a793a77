import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A sender stranded only on paths that return an error is `low` when every caller exits on
/// that error, or hands it up to a caller that does, to `main` or to a command's handler
/// (radondb's backup request, docs/LINT.md session 32). Each function is called in a loop, so
/// that it does not run once per process (`RunsOnce`) and only the error rule can settle it.
/// Its leaking twins stay `high`: a caller that logs the error and goes on, a middle function
/// that swallows it, a stranding path that returns nil, a caller that starts it with `go`.
@Suite struct ErrorExitTests {
    static let strand = """
    \tdone := make(chan error)
    \tgo func() {
    \t\tdone <- send(src)
    \t}()
    \tif _, err := io.Copy(dst, src); err != nil {
    \t\treturn %@
    \t}
    \treturn <-done
    """

    static func puller(_ name: String, returning result: String) -> String {
        "func \(name)(src io.Reader, dst io.Writer) error {\n" + strand.replacingOccurrences(of: "%@", with: result) + "\n}\n"
    }

    static let waiter = """
    \tdone := make(chan error)
    \tgo func() {
    \t\tdone <- cmd.Wait()
    \t}()
    \tselect {
    \tcase err := <-done:
    \t\treturn err
    \tcase <-ctx.Done():
    \t\treturn ctx.Err()
    \t}
    """

    static let library = """
    package backup

    import (
    \t"context"
    \t"fmt"
    \t"io"
    \t"log"
    \t"os/exec"
    \t"sync"
    )

    type Store struct {
    \tmu    sync.Mutex
    \tnames []string
    }

    type Journal struct {
    \tmu    sync.Mutex
    \tnames []string
    }

    // Load keeps the lock when the name is bad; main exits then.
    func (s *Store) Load(name string) error {
    \ts.mu.Lock()
    \tif name == "" {
    \t\treturn fmt.Errorf("empty name")
    \t}
    \ts.names = append(s.names, name)
    \ts.mu.Unlock()
    \treturn nil
    }

    // LoadLogged is Load, but main logs its error and goes on.
    func (s *Journal) LoadLogged(name string) error {
    \ts.mu.Lock()
    \tif name == "" {
    \t\treturn fmt.Errorf("empty name")
    \t}
    \ts.names = append(s.names, name)
    \ts.mu.Unlock()
    \treturn nil
    }

    func send(r io.Reader) error {
    \t_, err := io.Copy(io.Discard, r)
    \treturn err
    }


    """ + puller("Pull", returning: "fmt.Errorf(\"copy: %w\", err)")
        + puller("PullLogged", returning: "err")
        + puller("PullQuiet", returning: "nil")
        + puller("pullSoft", returning: "err")
        + """

    // Run hands Pull's error up: main exits on it.
    func Run(src io.Reader, dst io.Writer) error {
    \terr := Pull(src, dst)
    \treturn err
    }

    // RunSoft logs pullSoft's error and reports success.
    func RunSoft(src io.Reader, dst io.Writer) error {
    \tif err := pullSoft(src, dst); err != nil {
    \t\tlog.Printf("pull: %v", err)
    \t}
    \treturn nil
    }

    func Wait(ctx context.Context, cmd *exec.Cmd) error {
    \(waiter)
    }

    func WaitBackground(ctx context.Context, cmd *exec.Cmd) error {
    \(waiter)
    }

    """

    static let main = """
    package main

    import (
    \t"context"
    \t"log"
    \t"os"
    \t"os/exec"

    \t"example.com/backup/backup"
    \t"github.com/spf13/cobra"
    )

    func main() {
    \tst, journal := &backup.Store{}, &backup.Journal{}
    \tfor _, name := range os.Args[1:] {
    \t\tif err := st.Load(name); err != nil {
    \t\t\tlog.Fatal(err)
    \t\t}
    \t\tif err := journal.LoadLogged(name); err != nil {
    \t\t\tlog.Print(err)
    \t\t}
    \t\tf, _ := os.Open(name)
    \t\tif err := backup.Run(f, os.Stdout); err != nil {
    \t\t\tlog.Fatalf("backup %s: %v", name, err)
    \t\t}
    \t\tif err := backup.PullLogged(f, os.Stdout); err != nil {
    \t\t\tlog.Printf("pull %s: %v", name, err)
    \t\t}
    \t\tif err := backup.PullQuiet(f, os.Stdout); err != nil {
    \t\t\tos.Exit(1)
    \t\t}
    \t\tif err := backup.RunSoft(f, os.Stdout); err != nil {
    \t\t\tos.Exit(1)
    \t\t}
    \t\tgo backup.WaitBackground(context.Background(), exec.Command(name))
    \t\tif err := backup.WaitBackground(context.Background(), exec.Command(name)); err != nil {
    \t\t\tos.Exit(1)
    \t\t}
    \t}
    \troot := &cobra.Command{
    \t\tRunE: func(c *cobra.Command, args []string) error {
    \t\t\tfor _, a := range args {
    \t\t\t\tif err := backup.Wait(c.Context(), exec.Command(a)); err != nil {
    \t\t\t\t\treturn fmt.Errorf("wait %s: %w", a, err)
    \t\t\t\t}
    \t\t\t}
    \t\t\treturn nil
    \t\t},
    \t}
    \tif err := root.Execute(); err != nil {
    \t\tos.Exit(1)
    \t}
    }

    // Left over: nothing calls it, so its call of Run, which drops the error, never runs.
    func leftover() {
    \t_ = backup.Run(os.Stdin, os.Stdout)
    }
    """

    @Test func strandedOnlyOnErrorsThatEndTheProcess() throws {
        let files = ["go.mod": "module example.com/backup\n\ngo 1.22\n", "backup/backup.go": Self.library,
                     "cmd/backup/main.go": Self.main.replacingOccurrences(of: "\"context\"\n", with: "\"context\"\n\t\"fmt\"\n")]
        var found: [String: Confidence] = [:]
        for finding in try lintModule(files, folder: "error-exits", packages: 2, checks: [Checks.abandonedSend]) {
            found[String(finding.function.dropLast(".func1".count))] = finding.confidence
            if finding.confidence == .low { #expect(finding.confidenceNote?.contains("returns an error") == true) }
        }
        #expect(found == [
            "example.com/backup/backup.Pull": .low,
            "example.com/backup/backup.PullLogged": .high,
            "example.com/backup/backup.PullQuiet": .high,
            "example.com/backup/backup.pullSoft": .high,
            "example.com/backup/backup.Wait": .low,
            "example.com/backup/backup.WaitBackground": .high,
        ])
    }

    @Test func locksHeldOnlyOnErrorsThatEndTheProcess() throws {
        let files = ["go.mod": "module example.com/backup\n\ngo 1.22\n", "backup/backup.go": Self.library,
                     "cmd/backup/main.go": Self.main.replacingOccurrences(of: "\"context\"\n", with: "\"context\"\n\t\"fmt\"\n")]
        var found: [String: Confidence] = [:]
        for finding in try lintModule(files, folder: "error-exits-locks", packages: 2, checks: [Checks.lockNotReleased]) {
            found[finding.function] = finding.confidence
        }
        #expect(found == ["example.com/backup/backup.(*Store).Load": .low, "example.com/backup/backup.(*Journal).LoadLogged": .high])
    }

    /// A test helper whose every caller exits the test binary on its error (`log.Fatalf` in a
    /// suite's set-up) strands its sender only as the binary ends; one a test calls and fails
    /// with `t.Fatal` strands it while the other tests go on. Test files' calls do not count
    /// for the package's own functions. The helper's sender sends on one of two channels; the
    /// select takes either, or returns an error on its timeout: the path that falls out of the
    /// select after either case strands nothing.
    @Test func testHelpersWhoseErrorEndsTheTestBinary() throws {
        let helper = """
        package probe

        import (
        \t"errors"
        \t"log"
        \t"net/http"
        \t"os"
        \t"testing"
        \t"time"
        )

        func %@(url string) error {
        \tresponses := make(chan *http.Response)
        \tfailures := make(chan error)
        \tgo func() {
        \t\tresp, err := http.Get(url)
        \t\tif err != nil {
        \t\t\tfailures <- err
        \t\t\treturn
        \t\t}
        \t\tresponses <- resp
        \t}()
        \tselect {
        \tcase resp := <-responses:
        \t\tresp.Body.Close()
        \t\tif resp.StatusCode == http.StatusOK {
        \t\t\treturn nil
        \t\t}
        \tcase err := <-failures:
        \t\tlog.Print(err)
        \tcase <-time.After(10 * time.Second):
        \t\treturn errors.New("timeout: server not ready")
        \t}
        \treturn nil
        }

        """
        let tests = helper.replacingOccurrences(of: "%@", with: "serverReady")
            + helper.split(separator: "\n").drop(while: { !$0.hasPrefix("func") }).joined(separator: "\n")
                .replacingOccurrences(of: "%@", with: "waitReady") + """

        func TestMain(m *testing.M) {
        \tfor _, url := range []string{"http://127.0.0.1:1", "http://127.0.0.1:2"} {
        \t\tif err := serverReady(url); err != nil {
        \t\t\tlog.Fatalf("server not ready: %v", err)
        \t\t}
        \t}
        \tos.Exit(m.Run())
        }

        func TestProbe(t *testing.T) {
        \tfor _, url := range []string{"http://127.0.0.1:1", "http://127.0.0.1:2"} {
        \t\tif err := waitReady(url); err != nil {
        \t\t\tt.Fatalf("not ready: %v", err)
        \t\t}
        \t}
        }
        """
        let files = ["go.mod": "module example.com/probe\n\ngo 1.22\n", "probe.go": "package probe\n",
                     "probe_test.go": tests]
        var found: [String: [Confidence]] = [:]
        for finding in try lintModule(files, folder: "error-exits-tests", packages: 1, checks: [Checks.abandonedSend], tests: true) {
            found[String(finding.function.dropLast(".func1".count)), default: []].append(finding.confidence)
        }
        #expect(found == ["example.com/probe.serverReady": [.low, .low], "example.com/probe.waitReady": [.high, .high]])
    }

    /// A library's exports may be called by other modules, whatever its tools do on error.
    @Test func aLibraryKeepsItsFindings() throws {
        let files = ["go.mod": "module example.com/backup\n\ngo 1.22\n", "backup/backup.go": Self.library,
                     "tools/backup/main.go": Self.main.replacingOccurrences(of: "\"context\"\n", with: "\"context\"\n\t\"fmt\"\n")]
        let findings = try lintModule(files, folder: "error-exits-library", packages: 2, checks: [Checks.abandonedSend])
        #expect(findings.count == 6)
        #expect(findings.allSatisfy { $0.confidence == .high })
    }
}
