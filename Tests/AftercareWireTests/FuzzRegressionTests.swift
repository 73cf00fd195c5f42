import AftercareWireFuzzing
import Foundation
import Testing

/// The fuzzer's committed corpus, every input it ever crashed on, and every vector, replayed
/// through the fuzz target's body. Finding nothing to replay is a failure, not a pass.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    private static let directory = SpecFiles.packageRoot.appendingPathComponent("Tests/FuzzRegressions")

    /// The crash inputs (`crash-…`) beside the README, and the minimised corpus in `corpus/`.
    static let inputs: [String] = {
        let files = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String } ?? []
        return files.filter { name in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue && !name.hasSuffix("README.md")
        }.sorted()
    }()

    @Test("the corpus is there: at least a hundred inputs to replay")
    func somethingToReplay() {
        #expect(Self.inputs.filter { $0.hasPrefix("corpus/") }.count >= 100, "\(Self.directory.path) holds \(Self.inputs.count) inputs")
    }

    @Test("each corpus and crash input runs through without trapping")
    func regression() throws {
        for name in Self.inputs {
            let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
            WireFuzzing.exercise(Array(data))
        }
    }

    @Test("every vector, as client and as server input, keeps every invariant", arguments: try SpecFiles.vectorFileNames())
    func vectors(_ file: String) throws {
        let bytes = try SpecFiles.vector(file)
        WireFuzzing.exercise([0] + bytes)
        WireFuzzing.exercise([3] + bytes)
    }
}
