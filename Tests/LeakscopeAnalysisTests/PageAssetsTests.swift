import Foundation
import Testing
import LeakscopePresentation
import LeakscopeTestSupport

/// `HTML/Assets.generated.swift` must match the files in `Assets/`: an asset edited, added or
/// removed without running `python3 scripts/embed-assets.py` fails here, not in a browser.
@Suite struct PageAssetsTests {
    static let folder = TestPaths.packageRoot.appendingPathComponent("Sources/LeakscopePresentation/Assets")

    /// The asset files as the generator sees them: regular files not starting with a dot.
    static func assetFiles() throws -> [String: [UInt8]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        var files: [String: [UInt8]] = [:]
        for name in names {
            files[name] = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
        }
        return files
    }

    @Test func everyAssetFileIsEmbeddedByteForByte() throws {
        let files = try Self.assetFiles()
        #expect(!files.isEmpty, "no asset files under \(Self.folder.path)")
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
            guard let embedded = PageAssets.byFileName[name] else {
                Issue.record("Assets/\(name) has no PageAssets constant; run python3 scripts/embed-assets.py")
                continue
            }
            // Bytes, not String ==, which would call canonically equivalent Unicode equal.
            #expect(embedded.utf8.elementsEqual(bytes), "Assets/\(name) differs from PageAssets; run python3 scripts/embed-assets.py")
        }
    }

    @Test func everyConstantHasItsFile() throws {
        let files = try Self.assetFiles()
        for name in PageAssets.byFileName.keys.sorted() {
            #expect(files[name] != nil, "PageAssets embeds \(name), which is no longer in Assets/; run python3 scripts/embed-assets.py")
        }
    }
}
