import Foundation
import LeakscopeCapture
import LeakscopeBytes

/// Reads `diagnose`'s file and directory arguments into a `DiagnosisInput`.
package enum DiagnoseInputs {
    /// Loose files must all be recognised (a wrong argument is a mistake worth stopping for);
    /// inside a directory, files of unknown kinds are skipped with a note.
    package static func load(_ arguments: [String]) throws(OneLineError) -> DiagnosisInput {
        var input = DiagnosisInput()
        for argument in arguments {
            if argument != "-" && isDirectory(argument) {
                try addDirectory(argument, to: &input)
                if arguments.count == 1 && input.target == nil { input.target = argument }
            } else {
                let bytes = argument == "-" ? try FileBytes.readStandardInput() : try FileBytes.read(argument)
                do {
                    try input.add(name: argument == "-" ? "<stdin>" : argument, bytes: bytes, time: nil)
                } catch {
                    throw OneLineError(error.description)
                }
            }
        }
        input.orderByTime()
        if input.inputs.isEmpty { throw OneLineError("\(arguments.joined(separator: " ")): no profiles, dumps or GODEBUG logs found") }
        return input
    }

    /// A capture directory through its manifest; any other directory as every regular file
    /// under it, in path order.
    static func addDirectory(_ directory: String, to input: inout DiagnosisInput) throws(OneLineError) {
        if FileManager.default.fileExists(atPath: directory + "/" + CaptureManifest.fileName) {
            let manifest: CaptureManifest
            do {
                manifest = try CaptureManifest.load(directory: URL(fileURLWithPath: directory))
            } catch {
                throw OneLineError(error.description)
            }
            try DiagnoseCaptureSet.add(directory: directory, manifest: manifest, to: &input)
            return
        }
        // Several captures' files under one folder are read as loose files: their manifests are not.
        for relative in try regularFiles(under: directory) where !relative.hasSuffix("manifest.json") {
            try addByContent(directory + "/" + relative, to: &input)
        }
    }

    /// The regular files under `directory` as relative paths in path order (capture sets name
    /// snapshots so that path order is time order); hidden files are left out.
    static func regularFiles(under directory: String) throws(OneLineError) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw OneLineError("\(directory): cannot list the directory")
        }
        var paths: [String] = []
        let limit = InputLimits.current.maxManifestEntries
        while let relative = enumerator.nextObject() as? String {
            // Regular files only, by lstat: a symbolic link (out of the directory, to a device) or a
            // FIFO is never opened.
            var info = stat()
            guard !relative.hasPrefix("."), lstat(directory + "/" + relative, &info) == 0,
                  info.st_mode & S_IFMT == S_IFREG else { continue }
            paths.append(relative)
            if paths.count > limit {
                throw OneLineError("\(directory): more than \(limit) files; \(InputLimits.raiseHint("entries"))")
            }
        }
        return paths.sorted()
    }

    /// Reads `path` and adds it by its content; a file of no known kind becomes a note, not an error.
    static func addByContent(_ path: String, to input: inout DiagnosisInput) throws(OneLineError) {
        let bytes = try FileBytes.read(path, followSymlinks: false)
        do {
            try input.add(name: path, bytes: bytes, time: nil)
        } catch {
            input.notes.append("skipped \(error.description)")
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }
}
