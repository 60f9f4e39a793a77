import Foundation
import Testing
import LeakscopeTestSupport

/// The corpus the codec tests read is where the tests expect it.
@Test func corpusProtosArePresent() {
    for path in CodecSupport.corpusProtos {
        #expect(FileManager.default.fileExists(atPath: TestPaths.pprofCorpus.appendingPathComponent(path).path), "\(path)")
    }
}
