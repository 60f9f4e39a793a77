
/// Decides which frames are the service's own code, so findings point at the line a person can
/// change rather than at `runtime.mallocgc`, `fmt.Sprintf` or `net/http`.
public enum ApplicationCode {
    /// Whether `function` (a Go symbol such as `main.(*Cache).Put`, `net/http.(*conn).serve`,
    /// `github.com/x/y.F.func1`) belongs to the Go distribution: its package path's first element
    /// has no dot and is not `main`. Runtime-printed pseudo-functions (`runtime.goexit`, empty) too.
    public static func isStandardLibrary(_ function: String) -> Bool {
        let package = packagePath(of: function)
        if package.isEmpty { return true }
        if package == "main" { return false }
        let first = package.prefix { $0 != "/" }
        return !first.contains(".")
    }

    /// Whether `function` is application code: not the standard library, not
    /// `golang.org/x/…` (the extended standard library).
    public static func isApplication(_ function: String) -> Bool {
        if isStandardLibrary(function) { return false }
        return !packagePath(of: function).hasPrefix("golang.org/x/")
    }

    /// The import path of a Go symbol: everything up to the first `.` after the last `/`.
    /// `main.(*T).M` → `main`; `github.com/a/b.F` → `github.com/a/b`; `net/http.(*conn).serve` → `net/http`.
    public static func packagePath(of function: String) -> Substring {
        let afterSlash = function.lastIndex(of: "/").map { function.index(after: $0) } ?? function.startIndex
        guard let dot = function[afterSlash...].firstIndex(of: ".") else { return "" }
        return function[..<dot]
    }

    /// Index of the first application function in `functions` (a stack, innermost first), or
    /// nil when the stack has none.
    static func firstApplicationFrame(_ functions: some Collection<String>) -> Int? {
        var i = 0
        for function in functions {
            if isApplication(function) { return i }
            i += 1
        }
        return nil
    }
}
