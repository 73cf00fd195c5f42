package import Foundation

/// A program run to its end, its output and errors written to files: the exit is awaited through
/// the termination handler, so no thread of the concurrency pool (two on a two-core machine)
/// blocks on a pipe or on `waitUntilExit` while it runs, stalling every other test's calls.
package struct FinishedProcess: Sendable {
    package var status: Int32
    package var output: Data
    package var errors: String

    /// Runs `executable` with `arguments` (and `environment` over this process's) and waits for it.
    package static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> FinishedProcess {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        let (outputFile, errorFile) = (files.appending("stdout"), files.appending("stderr"))
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return FinishedProcess(
            status: process.terminationStatus, output: FileManager.default.contents(atPath: outputFile) ?? Data(),
            errors: (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "")
    }
}
