import Foundation
import Testing
import LeakscopeGoSource
import LeakscopeLint
import LeakscopeTestSupport

/// A sender stranded in a function that runs once per process is `low`, across packages: what
/// main calls once in an `internal/` package is low; the same code exported by a library package
/// (other modules may call it) or used as a value (a handler) stays `high`; a cobra handler
/// literal runs once too. The answer does not
/// depend on the order packages stream past.
@Suite struct RunsOnceTests {
    /// A sender stranded when the function gives up (the command handlers' kernel body).
    static let strand = CommandHandlerTests.body

    static func package(_ name: String, _ functions: [String]) -> String {
        """
        package \(name)

        import (
        \t"errors"
        \t"os"
        \t"time"
        )

        func work() error { _, err := os.Stat("."); return err }

        \(functions.map { "func \($0)() error {\n\(strand)\n}" }.joined(separator: "\n\n"))
        """
    }

    static let files: [String: String] = [
        "go.mod": "module example.com/tool\n\ngo 1.22\n",
        "internal/work/work.go": package("work", ["Sync", "Serve"]),
        "lib/lib.go": package("lib", ["Sync"]),
        // A cobra handler written in place: it runs once, whoever builds the command.
        "internal/cli/cli.go": package("cli", ["export", "exportEach"]).replacingOccurrences(of: "\"time\"\n", with: "\"time\"\n\n\t\"github.com/spf13/cobra\"\n") + """

        func NewExport() *cobra.Command {
        	return &cobra.Command{RunE: func(cmd *cobra.Command, args []string) error {
        		for range args {
        			_ = exportEach()
        		}
        		return export()
        	}}
        }
        """,
        // flyctl's shape: a command's function handed to a constructor, which hands it on to the
        // handler literal it builds; another handed to a function that keeps it.
        "internal/command/command.go": """
        package command

        import "github.com/spf13/cobra"

        func New(use string, fn func() error) *cobra.Command {
        	return &cobra.Command{Use: use, RunE: newRunE(fn)}
        }

        func newRunE(fn func() error) func(*cobra.Command, []string) error {
        	return func(cmd *cobra.Command, args []string) error { return fn() }
        }

        var hooks []func() error

        func OnSignal(fn func() error) { hooks = append(hooks, fn) }
        """,
        "internal/deploy/deploy.go": package("deploy", ["run", "hooked"]).replacingOccurrences(of: "\"time\"\n", with: "\"time\"\n\n\t\"example.com/tool/internal/command\"\n\t\"github.com/spf13/cobra\"\n") + """

        func NewDeploy() *cobra.Command {
        	command.OnSignal(hooked)
        	return command.New("deploy", run)
        }
        """,
        "cmd/tool/main.go": """
        package main

        import (
        \t"net/http"

        \t"example.com/tool/internal/work"
        \t"example.com/tool/lib"
        )

        func main() {
        \t_ = work.Sync()
        \t_ = lib.Sync()
        \t_ = work.Serve()
        \thttp.HandleFunc("/", func(http.ResponseWriter, *http.Request) { _ = work.Serve() })
        \t_ = http.ListenAndServe("localhost:8080", nil)
        }
        """,
    ]

    /// Writes `files` under a scratch `folder`, lints its packages (in reverse order when
    /// `reversed`) with LS001 alone and returns each finding's confidence by function, `.funcN`
    /// suffix dropped. Every `low` one must say it runs once per process.
    static func confidences(of files: [String: String], in folder: String, packages: Int, reversed: Bool) throws -> [String: Confidence] {
        let findings = try lintModule(files, folder: folder, packages: packages, checks: [Checks.abandonedSend], reversed: reversed)
        var out: [String: Confidence] = [:]
        for finding in findings {
            let function = String(finding.function.dropLast(".func1".count))
            out[function] = finding.confidence
            if finding.confidence == .low { #expect(finding.confidenceNote?.contains("runs once per process") == true) }
        }
        return out
    }

    func confidences(reversed: Bool) throws -> [String: Confidence] {
        try Self.confidences(of: Self.files, in: "runs-once", packages: 6, reversed: reversed)
    }

    @Test func onceFromMainIsLowUnlessOthersMayCallIt() throws {
        let found = try confidences(reversed: false)
        #expect(found == [
            "example.com/tool/internal/work.Sync": .low,
            // Exported by a package other modules may import, but this module is an application
            // (its program sits in cmd/): its main's one call is all (ApplicationTests).
            "example.com/tool/lib.Sync": .low,
            // Called once by main, and from a handler any number of times.
            "example.com/tool/internal/work.Serve": .high,
            // Called by a cobra `RunE` literal, once; and in its loop.
            "example.com/tool/internal/cli.export": .low,
            "example.com/tool/internal/cli.exportEach": .high,
            // Run by the handler literal command.New builds; kept by OnSignal.
            "example.com/tool/internal/deploy.run": .low,
            "example.com/tool/internal/deploy.hooked": .high,
        ])
        #expect(try confidences(reversed: true) == found)
    }

    /// Functions that would panic if they ran twice (a constant path on the default mux, a flag
    /// of the command line, an expvar name) run once, even exported by an importable package; a
    /// mux or flag set of their own (a parameter named `flag` too), or a return before the
    /// registration, leaves them open.
    @Test func registeringInProcessRegistriesRunsOnce() throws {
        let strandingFunctions = ["mux", "ownMux", "flags", "flagsOfSet", "vars", "varsIfOn"]
        let files = [
            "go.mod": "module example.com/lib\n\ngo 1.22\n",
            "registry/registry.go": Self.package("registry", strandingFunctions)
                .replacingOccurrences(of: "\"time\"\n", with: "\"time\"\n\t\"expvar\"\n\t\"flag\"\n\t\"net/http\"\n") + """

            func Install() error {
            	http.HandleFunc("/debug/registry", func(http.ResponseWriter, *http.Request) {})
            	return mux()
            }

            func InstallOn(m *http.ServeMux) error {
            	m.HandleFunc("/debug/registry", func(http.ResponseWriter, *http.Request) {})
            	return ownMux()
            }

            func Flags() error {
            	flag.String("registry-level", "info", "log level")
            	return flags()
            }

            // The parameter hides package flag: a set of the caller's own, made again per call.
            func FlagsOf(flag *flag.FlagSet) error {
            \tflag.String("registry-level", "info", "log level")
            \treturn flagsOfSet()
            }

            func Publish() error {
            	expvar.Publish("registry", expvar.Func(func() any { return 1 }))
            	return vars()
            }

            func PublishIfOn(on bool) error {
            	if !on {
            		return nil
            	}
            	expvar.Publish("registry-on", expvar.Func(func() any { return 1 }))
            	return varsIfOn()
            }
            """,
        ]
        let found = try Self.confidences(of: files, in: "runs-once-registries", packages: 1, reversed: false)
        #expect(found == [
            "example.com/lib/registry.mux": .low,
            "example.com/lib/registry.ownMux": .high,
            "example.com/lib/registry.flags": .low,
            "example.com/lib/registry.flagsOfSet": .high,
            "example.com/lib/registry.vars": .low,
            "example.com/lib/registry.varsIfOn": .high,
        ])
    }
    /// A local of a package-level command's handler literal hides the import it is named after
    /// (dmsg-server's `api := api.New(…)` in its `start` command's `Run:`): `api.Listen()` there
    /// calls the method, which then runs once; the same method called per argument stays `high`.
    @Test func localsOfAPackageLevelHandlerHideImports() throws {
        let files = [
            "go.mod": "module example.com/relay\n\ngo 1.22\n",
            "internal/api/api.go": """
            package api

            import (
            \t"errors"
            \t"os"
            \t"time"
            )

            func work() error { _, err := os.Stat("."); return err }

            type API struct{ name string }

            func New(name string) *API { return &API{name: name} }

            func (a *API) Listen() error {
            \(Self.strand)
            }

            func (a *API) Probe() error {
            \(Self.strand)
            }
            """,
            "cmd/relay/main.go": """
            package main

            import (
            \t"example.com/relay/internal/api"
            \t"github.com/spf13/cobra"
            )

            var startCmd = &cobra.Command{Run: func(cmd *cobra.Command, args []string) {
            \tapi := api.New("relay")
            \tgo func() { _ = api.Listen() }()
            \tfor range args {
            \t\t_ = api.Probe()
            \t}
            }}

            func main() { _ = startCmd.Execute() }
            """,
        ]
        let found = try Self.confidences(of: files, in: "runs-once-shadowed", packages: 2, reversed: false)
        #expect(found == [
            "example.com/relay/internal/api.(*API).Listen": .low,
            "example.com/relay/internal/api.(*API).Probe": .high,
        ])
        #expect(try Self.confidences(of: files, in: "runs-once-shadowed", packages: 2, reversed: true) == found)
    }

    /// A CNI plugin's handlers, handed to the CNI library's `skel.PluginMain…`, run once per
    /// plugin process (merbridge's `CmdAdd`, session 38): a body they leave open is `low`. The
    /// same functions handed to a function of another package of that name stay `high`.
    @Test func cniPluginHandlersRunOnce() throws {
        func handler(_ name: String) -> String {
            "func \(name)(args *skel.CmdArgs) error {\n\tresp, err := http.Post(\"http://cni/\"+args.ContainerID, \"text/plain\", nil)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn check(resp.StatusCode)\n}\n"
        }
        let plugin = "package plugin\n\nimport (\n\t\"errors\"\n\t\"net/http\"\n\n\t\"github.com/containernetworking/cni/pkg/skel\"\n)\n\n"
            + "func check(code int) error {\n\tif code != 200 {\n\t\treturn errors.New(\"refused\")\n\t}\n\treturn nil\n}\n\n"
            + handler("CmdAdd") + "\n" + handler("CmdCheck") + "\n" + handler("CmdDel") + "\n" + handler("AddOther") + "\n"
        let files = [
            "go.mod": "module example.com/cni\n\ngo 1.22\n",
            "internal/plugin/plugin.go": plugin,
            "cmd/cni/main.go": "package main\n\nimport (\n\t\"example.com/cni/internal/plugin\"\n\t\"github.com/containernetworking/cni/pkg/skel\"\n)\n\nfunc main() {\n\tskel.PluginMain(plugin.CmdAdd, plugin.CmdCheck, plugin.CmdDel, nil, \"cni\")\n}\n",
            "cmd/funcs/main.go": "package main\n\nimport (\n\t\"example.com/cni/internal/plugin\"\n\tskel \"example.com/cni/internal/fake\"\n)\n\nfunc main() {\n\tskel.PluginMain(plugin.AddOther, nil, nil, nil, \"other\")\n}\n",
            "internal/fake/fake.go": "package fake\n\nfunc PluginMain(add, check, del any, versions any, about string) {}\n",
        ]
        let found = try lintModule(files, folder: "runs-once-cni", packages: 4, checks: [Checks.bodyNotClosed])
        let byFunction = Dictionary(found.map { (String($0.function.split(separator: ".").last ?? ""), $0.confidence) }, uniquingKeysWith: { a, _ in a })
        #expect(byFunction == ["CmdAdd": .low, "CmdCheck": .low, "CmdDel": .low, "AddOther": .high], "\(byFunction)")
    }

    /// A go.mod written with Windows line ends names the same module: package paths, runtime
    /// names and the `go` line's timer rules come out as with `\n` (session 38's review found the
    /// whole file taken for the module path).
    @Test func crlfModuleFilesNameTheModule() throws {
        let root = TestPaths.scratch.appendingPathComponent("crlf-module")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("worker"), withIntermediateDirectories: true)
        try "module example.com/crlf\r\n\r\ngo 1.22\r\n".write(to: root.appendingPathComponent("go.mod"), atomically: true, encoding: .utf8)
        try "package worker\r\n\r\nfunc Run() {}\r\n".write(to: root.appendingPathComponent("worker/w.go"), atomically: true, encoding: .utf8)
        let loaded = PackageLoader.load([root.path + "/..."], context: BuildContext())
        #expect(loaded.packages.map(\.path) == ["example.com/crlf/worker"])
        #expect(loaded.packages.first?.goMinor == 22)
    }
}
