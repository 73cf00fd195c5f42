import AftercareServiceRuntime
import AftercareTesting
import Foundation
import Testing

/// Several instances on one database (`database.shared`): payments' processes start beside each
/// other; no process starts beside a process that holds the database alone, nor it beside them; a
/// service not built for several instances refuses the setting.
@Suite("several instances on one database")
struct SharedDatabaseTests {
    @Test("two payments processes with database.shared start on one database; one without it is refused, naming the setting")
    func paymentsShares() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let shared = ["--database-shared", "true"]
        let first = try await ServiceProcess.start("payments", in: directory, arguments: shared)
        defer { first.kill() }
        let second = try await ServiceProcess.start("payments", in: directory, arguments: shared, instance: "payments-2")
        defer { second.kill() }
        #expect(first.databasePath == second.databasePath && first.socketPath != second.socketPath)

        let alone = try await ServiceProcess.refusedStart("payments", in: directory, databasePath: first.databasePath)
        #expect(alone.ending == .exited(ServiceMain.configurationExitCode))
        #expect(alone.log.contains("is in use by another process"), "\(alone.log)")
        #expect(alone.log.contains("database.shared"), "\(alone.log)")

        #expect(try await second.stop() == 0)
        #expect(try await first.stop() == 0)
    }

    @Test("a payments process with database.shared is refused beside one that holds the database alone")
    func notBesideALoneHolder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let alone = try await ServiceProcess.start("payments", in: directory)
        defer { alone.kill() }
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let refused = try await ServiceProcess.refusedStart(
            "payments", in: other, databasePath: alone.databasePath, arguments: ["--database-shared", "true"])
        #expect(refused.ending == .exited(ServiceMain.configurationExitCode))
        #expect(refused.log.contains("database.path: \(alone.databasePath): is held alone by another process (pid \(alone.processIdentifier),"), "\(refused.log)")
    }

    @Test("orders refuses database.shared: it runs as one process per database")
    func ordersRefusesSharing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let refused = try await ServiceProcess.refusedStart("orders", in: directory, arguments: ["--database-shared", "true"])
        #expect(refused.ending == .exited(ServiceMain.configurationExitCode))
        #expect(refused.log.contains("database.shared: orders runs as one process per database"), "\(refused.log)")
    }
}
