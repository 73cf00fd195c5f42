import AftercareServiceKit
import AftercareWire
import Testing

@testable import AftercareSagas

@Suite("Saga listing")
struct SagaListingTests {
    /// A saga `id` in `state`, created at `created`, whose attempts ended with `results`, in order.
    static func saga(_ id: String, _ state: SagaState, created: Int64, results: [SagaAttempt.Result]) -> (SagaRecord, [SagaAttempt]) {
        let record = SagaRecord(
            id: id, definition: "Refund", version: 1, state: state, phase: state == .compensating ? .compensate : .forward, position: 0,
            tries: results.count, awaitingQuery: false, values: [:], traceID: .random(), completed: [], compensations: [], reason: "",
            forwardStartedMicros: created, compensationStartedMicros: nil, createdMicros: created, updatedMicros: created)
        let attempts = results.enumerated().map { index, result in
            SagaAttempt(
                sagaID: id, seq: 0, step: "refund", direction: .forward, kind: .call, attempt: index + 1, startedMicros: created,
                endedMicros: created + 1, result: result, statusCode: 0, message: "", backoffMicros: 0, timeoutMicros: 1_000)
        }
        return (record, attempts)
    }

    @Test("waiting: the running and compensating sagas whose newest attempt failed without running, is pending or never arrived, newest first")
    func waiting() async throws {
        let database = try ServiceDatabase.inMemory(migrations: .sagas)
        let store = SagaStore()
        let sagas = [
            Self.saga("backing-off", .running, created: 1, results: [.notExecuted]),
            Self.saga("answered", .running, created: 2, results: [.notExecuted, .ok]),
            Self.saga("asked-again", .compensating, created: 3, results: [.unknown, .queriedAbsent]),
            Self.saga("stuck", .stuck, created: 4, results: [.queriedPending]),
            Self.saga("in-flight", .running, created: 5, results: [.queryFailed, .sent]),
            Self.saga("pending", .running, created: 6, results: [.pending]),
            Self.saga("fresh", .running, created: 7, results: []),
        ]
        try await database.write { db in
            for (record, attempts) in sagas {
                _ = try store.insert(record, in: db)
                for attempt in attempts { _ = try store.append(attempt, in: db) }
            }
        }
        let waiting = try await database.read { db in try store.page(SagaFilter(waiting: true), in: db) }
        #expect(waiting.map(\.id) == ["pending", "asked-again", "backing-off"])
        let oldest = try await database.read { db in try store.page(SagaFilter(waiting: true, createdBeforeMicros: 3), in: db) }
        #expect(oldest.map(\.id) == ["backing-off"])
    }
}
