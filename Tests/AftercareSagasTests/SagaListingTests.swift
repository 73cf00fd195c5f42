import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Testing

@testable import AftercareSagas

@Suite("Saga listing")
struct SagaListingTests {
    /// A saga `id` of `definition` in `state`, created at `created`, whose attempts ended with
    /// `results`, in order.
    static func saga(
        _ id: String, _ state: SagaState, definition: String = "Refund", created: Int64, results: [SagaAttempt.Result] = []
    ) -> (SagaRecord, [SagaAttempt]) {
        let record = SagaRecord(
            id: id, definition: definition, version: 1, state: state, phase: state == .compensating ? .compensate : .forward, position: 0,
            tries: results.count, awaitingQuery: false, values: [:], traceID: .random(), completed: [], compensations: [], reason: "",
            forwardStartedMicros: created, compensationStartedMicros: nil, createdMicros: created, updatedMicros: created)
        let attempts = results.enumerated().map { index, result in
            SagaAttempt(
                sagaID: id, seq: 0, step: "refund", direction: .forward, kind: .call, attempt: index + 1, startedMicros: created,
                endedMicros: created + 1, result: result, statusCode: 0, message: "", backoffMicros: 0, timeoutMicros: 1_000)
        }
        return (record, attempts)
    }

    /// `sagas` and their attempts, written in one transaction.
    static func insert(_ sagas: [(SagaRecord, [SagaAttempt])], into database: any SQLDatabase) async throws {
        try await database.transaction { db in
            let store = SagaStore()
            for (record, attempts) in sagas {
                _ = try store.insert(record, in: db)
                for attempt in attempts { _ = try store.append(attempt, in: db) }
            }
        }
    }

    @Test("waiting: the running and compensating sagas whose newest attempt failed without running, is pending or never arrived, newest first",
          arguments: TestSQLDriver.allCases)
    func waiting(driver: TestSQLDriver) async throws {
        let sagas = [
            Self.saga("backing-off", .running, created: 1, results: [.notExecuted]),
            Self.saga("answered", .running, created: 2, results: [.notExecuted, .ok]),
            Self.saga("asked-again", .compensating, created: 3, results: [.unknown, .queriedAbsent]),
            Self.saga("stuck", .stuck, created: 4, results: [.queriedPending]),
            Self.saga("in-flight", .running, created: 5, results: [.queryFailed, .sent]),
            Self.saga("pending", .running, created: 6, results: [.pending]),
            Self.saga("fresh", .running, created: 7, results: []),
        ]
        try await driver.withDatabase(migrations: .sagas) { database in
            try await Self.insert(sagas, into: database)
            let waiting = try await database.snapshot { db in try SagaStore().page(SagaFilter(waiting: true), in: db) }
            #expect(waiting.map(\.id) == ["pending", "asked-again", "backing-off"])
            let oldest = try await database.snapshot { db in try SagaStore().page(SagaFilter(waiting: true, createdBeforeMicros: 3), in: db) }
            #expect(oldest.map(\.id) == ["backing-off"])
        }
    }

    @Test("pages: by state, then the next page from the last one's cursor; by definition, ids and creation time; newest first, ties by id",
          arguments: TestSQLDriver.allCases)
    func pages(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .sagas) { database in
            try await Self.insert(
                [
                    Self.saga("r1", .completed, created: 10), Self.saga("r2", .stuck, created: 20),
                    Self.saga("x1", .completed, definition: "Return", created: 20), Self.saga("r3", .completed, created: 30),
                    Self.saga("x2", .running, definition: "Return", created: 40), Self.saga("r4", .completed, created: 50),
                ],
                into: database)
            let page = { @Sendable (filter: SagaFilter) async throws -> [String] in
                try await database.snapshot { db in try SagaStore().page(filter, in: db) }.map(\.id)
            }
            #expect(try await page(SagaFilter()) == ["r4", "x2", "r3", "x1", "r2", "r1"])
            let first = SagaFilter(state: .completed, limit: 2)
            #expect(try await page(first) == ["r4", "r3"])
            var next = first
            next.after = SagaCursor(createdMicros: 30, id: "r3")
            #expect(try await page(next) == ["x1", "r1"])
            // Created at the same time as the cursor's saga: listed after it only with a smaller id.
            #expect(try await page(SagaFilter(after: SagaCursor(createdMicros: 20, id: "x1"))) == ["r2", "r1"])
            #expect(try await page(SagaFilter(definition: "Return")) == ["x2", "x1"])
            #expect(try await page(SagaFilter(definition: "Refund", createdAtOrAfterMicros: 30)) == ["r4", "r3"])
            #expect(try await page(SagaFilter(createdBeforeMicros: 30)) == ["x1", "r2", "r1"])
            #expect(try await page(SagaFilter(ids: ["r2", "x2", "none"])) == ["x2", "r2"])
            #expect(try await page(SagaFilter(ids: ["r1"])) == ["r1"])
            #expect(try await page(SagaFilter(ids: [])) == [])
        }
    }
}
