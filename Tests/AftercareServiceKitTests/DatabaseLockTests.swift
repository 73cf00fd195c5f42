import AftercareServiceRuntime
import AftercareTesting
import Foundation
import Testing

/// One process per database: a second service process on a database another live process holds
/// stops at start; a process killed with its lock held does not stop a restart.
@Suite("one process per database")
struct DatabaseLockTests {
    /// Runs `body` with an orders process holding its database, and a second, empty directory.
    static func withHeldDatabase(_ body: (ServiceProcess, TemporaryDirectory) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let first = try await ServiceProcess.start("orders", in: directory)
        defer { first.kill() }
        try await body(first, other)
    }

    @Test("a second orders on the same database exits 78 naming the first's pid; once the first is SIGKILLed, it starts")
    func secondProcessRefused() async throws {
        try await Self.withHeldDatabase { first, other in
            let refused = try await ServiceProcess.refusedStart("orders", in: other, databasePath: first.databasePath)
            #expect(refused.ending == .exited(ServiceMain.configurationExitCode))
            #expect(
                refused.log.contains("database.path: \(first.databasePath): is in use by another process (pid \(first.processIdentifier),"),
                "\(refused.log)")

            first.kill()
            #expect(FileManager.default.fileExists(atPath: first.databasePath + ".lock"))
            let second = try await ServiceProcess.start("orders", in: other, databasePath: first.databasePath)
            #expect(try await second.stop() == 0)
        }
    }

    @Test("a second orders reaching the same database through a symbolic link is refused too")
    func symbolicLinkRefused() async throws {
        try await Self.withHeldDatabase { first, other in
            let link = other.appending("linked.sqlite")
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: first.databasePath)
            let refused = try await ServiceProcess.refusedStart("orders", in: other, databasePath: link)
            #expect(refused.ending == .exited(ServiceMain.configurationExitCode))
            #expect(refused.log.contains("is in use by another process (pid \(first.processIdentifier),"), "\(refused.log)")
        }
    }
}
