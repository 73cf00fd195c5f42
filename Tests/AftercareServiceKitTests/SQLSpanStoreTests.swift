import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import GRDB
import Logging
import Synchronization
import Testing

@Suite("Spans in the database")
struct SQLSpanStoreTests {
    static func span(_ trace: TraceID, start: Int64, method: String = "x.v1.S/M") -> SpanRecord {
        SpanRecord(
            traceID: trace, spanID: .random(in: 1...UInt64.max), service: "aftercare-test", method: method, caller: "name:gateway",
            saga: SagaContext(sagaID: "sg_1", step: "refund", direction: .compensate, attempt: 2), startUnixMicros: start,
            durationMicros: 5, status: .failedPrecondition, statusMessage: "no", outcome: .notExecuted)
    }

    @Test("spans survive a restart and come back whole, oldest first")
    func survivesRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("spans.sqlite")
        let trace = TraceID.random()
        let clock = ServiceClock()
        let first = Self.span(trace, start: clock.nowMicros - 10)
        let second = Self.span(trace, start: clock.nowMicros - 5)
        do {
            let store = SQLSpanStore(database: try ServiceDatabase.open(path: path, migrations: .none), clock: clock, logger: .test("spans"))
            store.record(second)
            store.record(first)
            store.record(Self.span(.random(), start: clock.nowMicros))
            #expect(try await store.spans(traceID: trace, limit: 10) == [first, second])  // queued
            await store.flush()
        }
        let store = SQLSpanStore(database: try ServiceDatabase.open(path: path, migrations: .none), clock: clock, logger: .test("spans"))
        let spans = try await store.spans(traceID: trace, limit: 10)
        #expect(spans == [first, second])
    }

    @Test("a span being written is found while its transaction waits for the database, as it is while queued and once stored")
    func foundWhileWritten() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try ServiceDatabase.open(path: directory.appending("spans.sqlite"), migrations: .none)
        let clock = ServiceClock()
        let store = SQLSpanStore(database: database, clock: clock, logger: .test("spans"))
        let trace = TraceID.random()
        let span = Self.span(trace, start: clock.nowMicros)
        store.record(span)
        // A write holds the database until released; the flush's transaction waits behind it.
        let (holding, released) = (Flag(), Flag())
        let holder = Task {
            try await database.write { _ in
                holding.raise()
                for _ in 0..<10_000 where !released.isRaised { usleep(1_000) }
            }
        }
        while !holding.isRaised { try await Task.sleep(for: .milliseconds(1)) }
        let flushing = Task { await store.flush() }
        while database.waitingWrites == 0 { try await Task.sleep(for: .milliseconds(1)) }
        let whileWritten = try await store.spans(traceID: trace, limit: 10)
        released.raise()
        try await holder.value
        await flushing.value
        #expect(whileWritten == [span])
        #expect(try await store.spans(traceID: trace, limit: 10) == [span])
        let stored = try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM spans") }
        #expect(stored == 1)
    }

    @Test("retention drops spans past the age and beyond the count")
    func retention() async throws {
        let clock = ServiceClock(testMode: true)
        let database = try ServiceDatabase.inMemory(migrations: .none)
        let store = SQLSpanStore(database: database, clock: clock, maxAge: .seconds(3_600), maxCount: 3, logger: .test("spans"))
        let trace = TraceID.random()
        let now = clock.nowMicros
        store.record(Self.span(trace, start: now - 7_200_000_000))  // two hours old
        for offset in 0..<5 { store.record(Self.span(trace, start: now - Int64(5 - offset))) }
        await store.flush()
        try await database.write { db in try store.prune(db) }
        let kept = try await store.spans(traceID: trace, limit: 10)
        #expect(kept.map(\.startUnixMicros) == [now - 3, now - 2, now - 1])
    }
}

/// A flag one task raises and another reads.
private final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)

    var isRaised: Bool { self.raised.load(ordering: .sequentiallyConsistent) }

    func raise() { self.raised.store(true, ordering: .sequentiallyConsistent) }
}
