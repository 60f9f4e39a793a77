#if canImport(Glibc)
import Glibc
#endif
import LeakscopeBytes
import LeakscopeCapture
import LeakscopeGoroutines
import LeakscopeProfile
import LeakscopeTrace

/// Checks a downloaded body before `capture` records it as fetched: it must decode, within the
/// `InputLimits`, as what its endpoint serves. A gzip bomb, a truncated profile or a proxy's error
/// page is then a failed entry in the manifest (with the reason), not a good-looking file that only
/// `diagnose` finds broken.
enum CaptureValidation {
    /// Why the body in `path` is not a valid `kind`, or nil when it is (or `kind` is not checked).
    static func problem(kind: CaptureManifest.Entry.Kind, path: String) -> String? {
        switch kind {
        case .index, .cmdline:
            return nil
        case .goroutineStacks, .goroutineGroups, .goroutineLeak:
            do throws(ProfileError) {
                _ = try GoroutineDump.read(path: path)
                return nil
            } catch {
                if error.message.hasPrefix("empty input") || isEmptyCountProfile(path) { return nil }
                return "invalid body: \(error.message)"
            }
        case .trace:
            return traceProblem(path: path)
        case .goroutine, .heap, .mutex, .block, .allocs, .threadcreate, .cpu:
            do {
                let bytes = try FileBytes.read(path, followSymlinks: false)
                // An empty body is a profile with nothing in it (a rate never set).
                if bytes.isEmpty { return nil }
                _ = try Profile.parse(bytes)
                return nil
            } catch let error as ProfileError {
                return "invalid body: \(error.message)"
            } catch let error as OneLineError {
                return "cannot read the body back: \(error.message)"
            } catch {
                return "invalid body: \(error)"
            }
        }
    }

    /// Reads the whole trace (one generation in memory at a time, each at most the input limit).
    static func traceProblem(path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return "cannot read the body back: \(String(cString: strerror(errno)))" }
        let limit = InputLimits.current.maxInputBytes
        if Int(info.st_size) > limit {
            return "invalid body: \(Int(info.st_size)) bytes, over the input limit of \(limit); \(InputLimits.raiseHint("input"))"
        }
        do throws(TraceError) {
            let reader = try TraceReader(path: path)
            reader.maxGenerationBytes = min(reader.maxGenerationBytes, limit)
            try reader.read(into: DiscardingConsumer())
            return nil
        } catch {
            return "invalid body: \(error.description)"
        }
    }

    /// Reads events and keeps none.
    final class DiscardingConsumer: TraceConsumer {
        func event(_ event: TraceEvent, names: TraceNames) {}
    }

    /// A `debug=1` count profile with nothing in it (`goroutineleak profile: total 0`, the usual
    /// answer of a healthy program), which the dump parser rightly finds no goroutine in.
    static func isEmptyCountProfile(_ path: String) -> Bool {
        guard let bytes = try? FileBytes.read(path, followSymlinks: false), bytes.count < 4096 else { return false }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
        return lines.count == 1 && lines[0].hasSuffix(" profile: total 0") && !lines[0].dropLast(17).contains(" ")
    }
}
