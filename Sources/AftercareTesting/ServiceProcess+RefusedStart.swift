import Foundation

extension ServiceProcess {
    /// Starts `aftercare-<name>` expecting it to refuse to start, and waits (up to 30 s) for it to
    /// exit: how it ended, and what it wrote.
    /// - Throws: when it still runs after 30 s (it is killed).
    package static func refusedStart(
        _ name: String, in directory: TemporaryDirectory, databasePath: String? = nil, arguments: [String] = []
    ) async throws -> (ending: Ending, log: String) {
        let service = try await Self.launch(name, in: directory, databasePath: databasePath, arguments: arguments, environment: [:])
        guard let ending = try await service.waitUntilEnded(within: .seconds(30)) else {
            service.kill()
            throw TestKitError("aftercare-\(name) still runs 30 s after a start that should have been refused: \(service.log)")
        }
        return (ending, service.log)
    }
}
