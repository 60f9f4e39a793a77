import Testing
import Foundation
import LeakscopeTestSupport

@Test func corpusIsPresent() {
    #expect(FileManager.default.fileExists(atPath: TestPaths.pprofCorpus.appendingPathComponent("LICENSE").path))
}
