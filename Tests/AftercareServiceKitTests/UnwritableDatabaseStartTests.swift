import AftercareServiceRuntime
import AftercareTesting
import Foundation
import GRDB
import Testing

/// A service whose database cannot be written stops at start with exit status 78 and a message
/// naming `database.path`, the file and the cause, rather than serving and failing every write.
/// The files are made read-only with mounts (root ignores file modes), so these need root.
@Suite("a start on an unwritable database")
struct UnwritableDatabaseStartTests {
    @Test("a read-only database file, with or without the -wal and -shm files a killed process left, stops the start: exit 78, SQLITE_READONLY",
          arguments: [false, true])
    func readOnlyFile(leftovers: Bool) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let disk = try Tmpfs(at: directory.appending("disk"), size: "8m")
        defer { disk.unmount() }
        let database = disk.appending("orders.sqlite")
        let first = try await ServiceProcess.start("orders", in: directory, databasePath: database)
        if leftovers {
            first.kill()
        } else {
            #expect(try await first.stop() == 0)
            try DatabaseQueue(path: database).close()  // the last connection out removes -wal and -shm
        }
        for suffix in ["-wal", "-shm"] {
            try #require(FileManager.default.fileExists(atPath: database + suffix) == leftovers, "\(suffix) present: \(!leftovers)")
        }
        try disk.makeReadOnly(database)

        let refused = try await ServiceProcess.refusedStart("orders", in: directory, databasePath: database)
        #expect(refused.ending == .exited(ServiceMain.configurationExitCode))
        let message = try #require(refused.log.split(separator: "\n").first { $0.contains("configuration: database.path") }, "\(refused.log)")
        #expect(message.contains(database))
        #expect(message.contains("SQLITE_READONLY"))
    }

    @Test("a database in a read-only directory, existing or not, stops the start: exit 78, naming the file and the cause",
          arguments: [false, true])
    func readOnlyDirectory(existing: Bool) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let disk = try Tmpfs(at: directory.appending("disk"), size: "8m")
        defer { disk.unmount() }
        let database = disk.appending("orders.sqlite")
        if existing {
            let first = try await ServiceProcess.start("orders", in: directory, databasePath: database)
            #expect(try await first.stop() == 0)
        }
        try disk.remountReadOnly()

        let refused = try await ServiceProcess.refusedStart("orders", in: directory, databasePath: database)
        #expect(refused.ending == .exited(ServiceMain.configurationExitCode))
        #expect(refused.log.contains("database.path: \(database): cannot open its lock file \(database).lock: Read-only file system"), "\(refused.log)")
    }
}
