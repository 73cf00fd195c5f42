@testable import AftercareServiceKit
import Foundation
import Testing

/// The statement log `make test`'s sql-coverage reads: a process that the kernel gives an earlier
/// process's pid again must not write over that process's log.
@Suite("Statement log")
struct StatementLogTests {
    @Test("two logs of one pid and prefix keep their own records, each once")
    func samePidKeepsBoth() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statement-log-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try StatementLog(directory: directory, prefix: "statements")
        first.record("SELECT 1")
        first.record("SELECT 1")
        let second = try StatementLog(directory: directory, prefix: "statements")
        second.record("SELECT 2")

        #expect(first.path != second.path)
        #expect(try String(contentsOfFile: first.path, encoding: .utf8) == "SELECT 1\n--;\n")
        #expect(try String(contentsOfFile: second.path, encoding: .utf8) == "SELECT 2\n--;\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 2)
    }
}
