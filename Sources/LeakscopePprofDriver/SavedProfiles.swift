import Foundation
import LeakscopeBytes
import LeakscopeProfile

/// go tool pprof keeps a copy of every profile it fetched over HTTP, in `$PPROF_TMPDIR`, else
/// `$HOME/pprof`, else the temp directory, as `pprof.<binary>.<sample types>.NNN.pb.gz`, and says
/// so on stderr. People rely on finding them there, so we do the same.
enum SavedProfiles {
    static func save(_ profile: Profile, environment: [String: String] = ProcessInfo.processInfo.environment) {
        var prefix = "pprof."
        if let file = profile.mappings.first?.file, !file.isEmpty {
            prefix += (file.split(separator: "/").last.map(String.init) ?? file) + "."
        }
        for sampleType in profile.sampleTypes { prefix += sampleType.type + "." }
        let bytes = profile.encodeGzipped()
        for directory in candidateDirectories(environment) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                printError("Could not use temp dir \(directory): \(error.localizedDescription)")
                continue
            }
            for index in 1..<10000 {
                let path = directory + "/" + prefix + threeDigits(index) + ".pb.gz"
                // O_EXCL: never overwrite an earlier save.
                let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
                if descriptor < 0 {
                    if errno == EEXIST { continue }
                    break
                }
                do {
                    try FileBytes.writeAll(bytes, to: descriptor, name: path)
                    close(descriptor)
                    printError("Saved profile in \(path)")
                } catch {
                    close(descriptor)
                    printError("leakscope: could not save the fetched profile: \(error.message)")
                }
                return
            }
        }
    }

    static func candidateDirectories(_ environment: [String: String]) -> [String] {
        var directories: [String] = []
        if let dir = environment["PPROF_TMPDIR"], !dir.isEmpty { directories.append(dir) }
        if let home = environment["HOME"], !home.isEmpty { directories.append(home + "/pprof") }
        directories.append(NSTemporaryDirectory().hasSuffix("/") ? String(NSTemporaryDirectory().dropLast())
                                                                   : NSTemporaryDirectory())
        return directories
    }

    private static func threeDigits(_ value: Int) -> String {
        let digits = String(value)
        return digits.count >= 3 ? digits : String(repeating: "0", count: 3 - digits.count) + digits
    }
}
