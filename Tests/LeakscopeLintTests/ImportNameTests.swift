import Testing
@testable import LeakscopeLint

/// The name an import binds when the file gives none, as the checks resolve `pkg.F`.
@Suite struct ImportNameTests {
    @Test(arguments: [
        ("fmt", "fmt"), ("net/http", "http"), ("math/rand/v2", "rand"), ("gopkg.in/yaml.v3", "yaml"),
        ("github.com/urfave/cli/v3", "cli"), ("github.com/go-redis/redis", "redis"),
        ("example.com/go-foo/v2", "foo"), ("github.com/spf13/cobra", "cobra"), ("v2", "v2"),
        ("example.com/m/vendor", "vendor"), ("example.com/m/v", "v"), ("example.com/m/v2x", "v2x"),
    ])
    func defaultNames(_ path: String, _ name: String) {
        #expect(Lint.defaultName(path) == name)
    }
}
