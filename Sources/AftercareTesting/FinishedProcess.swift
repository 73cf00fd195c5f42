package import Foundation
import Synchronization

/// A program run to its end, its output and errors written to files: the exit is awaited through
/// the termination handler, so no thread of the concurrency pool (two on a two-core machine)
/// blocks on a pipe or on `waitUntilExit` while it runs, stalling every other test's calls.
/// A program still running after its time limit is killed and the run fails, naming it: a test
/// waits for no program forever.
package struct FinishedProcess: Sendable {
    package var status: Int32
    package var output: Data
    package var errors: String

    /// Runs `executable` with `arguments` (and `environment` over this process's) and waits for it
    /// to exit, at most `limit`; past it the program is SIGKILLed and the run throws.
    package static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], limit: Duration = .seconds(120)
    ) async throws -> FinishedProcess {
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
        let killed = KilledFlag()
        var watchdog: Task<Void, Never>?
        defer { watchdog?.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            watchdog = Task {
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                killed.value.store(true, ordering: .relaxed)
                kill(pid, SIGKILL)
            }
        }
        guard !killed.value.load(ordering: .relaxed) else {
            let errors = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
            throw TestKitError("\(([executable] + arguments).joined(separator: " ")) still ran after \(limit); killed. Its errors: \(errors.suffix(2_000))")
        }
        return FinishedProcess(
            status: process.terminationStatus, output: FileManager.default.contents(atPath: outputFile) ?? Data(),
            errors: (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "")
    }
}

/// Whether the time limit's watchdog killed the program (set before the kill).
private final class KilledFlag: Sendable {
    let value = Atomic(false)
}
