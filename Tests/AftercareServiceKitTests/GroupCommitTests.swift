import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import GRDB
import Synchronization
import Testing

/// Group commit in `ServiceDatabase.write`, on a real database file (WAL, `synchronous=FULL`):
/// each test holds the writer busy with a first write whose body blocks, queues its writes one by
/// one behind it (so their order is known), then lets go: the queued writes run as one batch.
@Suite("Group commit")
struct GroupCommitTests {
    static let migrations = ServiceMigrations { migrator in
        migrator.registerMigration("test-v1") { db in
            try db.execute(sql: "CREATE TABLE items (name TEXT PRIMARY KEY, seen BIGINT NOT NULL, body BLOB NOT NULL)")
        }
    }

    /// A body's own error, to see that its caller gets it unchanged.
    struct Refused: Error, Equatable {
        let name: String
    }

    /// A database whose writer is held busy until ``release()``.
    struct HeldWriter {
        let database: ServiceDatabase
        let held: Task<Void, any Error>
        let gate: DispatchSemaphore

        /// Starts a write whose body blocks the writer, and waits until it runs.
        init(_ database: ServiceDatabase) async throws {
            let gate = DispatchSemaphore(value: 0)
            let (running, entered) = AsyncStream<Void>.makeStream()
            self.database = database
            self.gate = gate
            self.held = Task {
                try await database.write { _ in
                    entered.yield()
                    gate.wait()
                }
            }
            var iterator = running.makeAsyncIterator()
            await iterator.next()
        }

        /// Queues `writes` behind the held one, each once the one before is queued; answers their tasks in that order.
        func queue<T: Sendable>(_ writes: [@Sendable (Database) throws -> T]) async throws -> [Task<T, any Error>] {
            var tasks: [Task<T, any Error>] = []
            for write in writes {
                let before = self.database.waitingWrites
                tasks.append(Task { [database] in try await database.write(write) })
                while self.database.waitingWrites == before { try await Task.sleep(for: .milliseconds(1)) }
            }
            return tasks
        }

        /// Lets the held write finish; the queued writes follow as one batch.
        func release() async throws {
            self.gate.signal()
            try await self.held.value
        }
    }

    static func open(_ directory: String) throws -> ServiceDatabase {
        try ServiceDatabase.open(path: "\(directory)/group.sqlite", migrations: Self.migrations)
    }

    /// Inserts item `name`, recording how many items it saw before; answers that count.
    static func insert(_ name: String, bytes: Int = 16) -> @Sendable (Database) throws -> Int {
        { db in
            let seen = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? 0
            try db.execute(sql: "INSERT INTO items (name, seen, body) VALUES (?, ?, ?)", arguments: [name, seen, Data(count: bytes)])
            return seen
        }
    }

    static func names(_ database: ServiceDatabase) async throws -> [String] {
        try await database.read { db in try String.fetchAll(db, sql: "SELECT name FROM items ORDER BY name") }
    }

    @Test("writes asked while the writer is busy commit together: one commit for the batch; a lone write commits at once, alone")
    func oneCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Self.open(directory.path)
        let commits = try await CommitCounter.counting(database)

        try await database.write(Self.insert("lone"))
        #expect(commits.count == 1)

        let writer = try await HeldWriter(database)
        let tasks = try await writer.queue((0..<8).map { Self.insert("w\($0)") })
        #expect(database.waitingWrites == 8)
        try await writer.release()
        for task in tasks { _ = try await task.value }
        #expect(commits.count == 2, "the held write changed nothing; the eight queued ones are one commit")
        #expect(try await Self.names(database) == ["lone"] + (0..<8).map { "w\($0)" })
    }

    @Test("a batch runs its bodies in the order asked, each seeing the ones before it and its own writes, as if each had committed alone")
    func serialOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Self.open(directory.path)
        let writer = try await HeldWriter(database)
        let tasks = try await writer.queue(
            (0..<6).map { index in
                { @Sendable db in
                    let seen = try Self.insert("w\(index)")(db)
                    let own = try Int.fetchOne(db, sql: "SELECT seen FROM items WHERE name = ?", arguments: ["w\(index)"])
                    return [seen, own ?? -1]
                }
            })
        try await writer.release()
        var answers: [[Int]] = []
        for task in tasks { answers.append(try await task.value) }
        #expect(answers == (0..<6).map { [$0, $0] })
    }

    @Test("a body that throws rolls back only its own writes, and its caller gets its error unchanged; the others commit")
    func failingBody() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Self.open(directory.path)
        try await database.write(Self.insert("taken"))
        let commits = try await CommitCounter.counting(database)
        let writer = try await HeldWriter(database)
        let tasks = try await writer.queue([
            Self.insert("a"),
            { @Sendable db in
                _ = try Self.insert("b")(db)
                throw Refused(name: "b")
            },
            Self.insert("taken"),  // a constraint: SQLite's own error, no storage fault
            Self.insert("c"),
        ])
        try await writer.release()
        #expect(try await tasks[0].value == 1)
        await #expect(throws: Refused(name: "b")) { try await tasks[1].value }
        let constraint = await #expect(throws: DatabaseError.self) { try await tasks[2].value }
        #expect(constraint?.resultCode == .SQLITE_CONSTRAINT)
        #expect(try await tasks[3].value == 2, "c sees taken and a, not b's rolled-back row")
        #expect(commits.count == 1)
        #expect(try await Self.names(database) == ["a", "c", "taken"])
    }

    @Test("what a body asks to run after its commit runs once its batch committed, and not for a body whose savepoint rolled back")
    func afterCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Self.open(directory.path)
        let ran = Mutex<[String]>([])
        func insertNoting(_ name: String, thenThrow: Bool = false) -> @Sendable (Database) throws -> Int {
            { db in
                let seen = try Self.insert(name)(db)
                db.afterCommit { ran.withLock { $0.append(name) } }
                if thenThrow { throw Refused(name: name) }
                return seen
            }
        }
        let writer = try await HeldWriter(database)
        let tasks = try await writer.queue([insertNoting("a"), insertNoting("b", thenThrow: true), insertNoting("c")])
        #expect(ran.withLock { $0 }.isEmpty)
        try await writer.release()
        _ = try await tasks[0].value
        await #expect(throws: Refused(name: "b")) { try await tasks[1].value }
        _ = try await tasks[2].value
        #expect(ran.withLock { $0 } == ["a", "c"])
        #expect(try await Self.names(database) == ["a", "c"])

        // Alone, a write is its own transaction (no savepoint): one that throws is rolled back
        // whole, and what it asked to run after a commit does not run.
        await #expect(throws: Refused(name: "d")) { try await database.write(insertNoting("d", thenThrow: true)) }
        _ = try await database.write(insertNoting("e"))
        #expect(ran.withLock { $0 } == ["a", "c", "e"])
        #expect(try await Self.names(database) == ["a", "c", "e"])
    }

    @Test("a batch the full disk refuses fails every caller of it with the storage fault, nothing of it written; the health check fails until a write succeeds")
    func storageFault() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let disk = try Tmpfs(at: directory.appending("disk"), size: "2m")
        defer { disk.unmount() }
        let database = try Self.open(disk.path)
        try await database.write(Self.insert("before"))

        let writer = try await HeldWriter(database)
        // 4 × 128 KiB: more than the WAL holds already, so the commit must grow it.
        let tasks = try await writer.queue((0..<4).map { Self.insert("w\($0)", bytes: 131_072) })
        let filler = try disk.fill()
        try await writer.release()
        for task in tasks {
            let fault = await #expect(throws: StorageFault.self) { try await task.value }
            #expect(fault?.cause == .full)
        }
        await #expect(throws: StorageFault.self) { _ = try await database.healthCheck.check() }

        try FileManager.default.removeItem(atPath: filler)
        _ = try await database.healthCheck.check()
        try await database.write(Self.insert("after"))
        #expect(try await Self.names(database) == ["after", "before"])
    }
}
