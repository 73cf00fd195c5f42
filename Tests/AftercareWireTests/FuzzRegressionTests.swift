import AftercareWireFuzzing
import Foundation
import Testing

/// Every input the fuzzer ever crashed on, and every vector, replayed through the fuzz target's body.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    private static let directory = SpecFiles.packageRoot.appendingPathComponent("Tests/FuzzRegressions")

    static let inputs: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0 != "README.md" }.sorted()
    }()

    @Test("each kept crash input runs through without trapping", arguments: inputs)
    func regression(_ name: String) throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        WireFuzzing.exercise(Array(data))
    }

    @Test("every vector, as client and as server input, keeps every invariant", arguments: try SpecFiles.vectorFileNames())
    func vectors(_ file: String) throws {
        let bytes = try SpecFiles.vector(file)
        WireFuzzing.exercise([0] + bytes)
        WireFuzzing.exercise([3] + bytes)
    }
}
