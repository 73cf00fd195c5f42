@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareServiceKit
import AftercareTesting
import Logging
import Synchronization
import Testing

/// A timer the machine refuses (it should have been stopped) is stopped, not fired, and the
/// background pass says so in its log.
@Suite("Refused timer firings")
struct RefusedTimerTests {
    /// Keeps every message logged through it.
    final class Recorded: Sendable {
        let messages = Mutex<[String]>([])
    }

    struct RecordingHandler: LogHandler {
        let recorded: Recorded
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let timer = event.metadata?["timer"].map { " \($0)" } ?? ""
            self.recorded.messages.withLock { $0.append("\(event.level) \(event.message)\(timer)") }
        }
    }

    @Test("a running T_ship on a case with the seller: the background pass stops it, moves nothing and logs a warning")
    func refusedFiringIsStoppedAndLogged() async throws {
        try await AftersalesHarness.run { harness in
            let opened = try await harness.open(Fixtures.application())
            let caseID = opened.record.caseID
            // A timer no transition into PENDING_SELLER starts, written behind the machine's back.
            try await harness.database.write { db in
                try AftersalesStore().save(
                    TimerRecord(
                        caseID: caseID, timer: .ship, status: .running, startedAtMicros: InMemoryService.startMicros,
                        deadlineMicros: InMemoryService.startMicros + Micros.hour),
                    in: db)
            }
            try harness.advance(hours: 2)
            let recorded = Recorded()
            let timers = CaseTimerService(
                database: harness.database, clock: harness.clock, feed: harness.feed, policy: .builtIn, interval: .seconds(3_600),
                batch: 10, logger: Logger(label: "aftersales.timers") { _ in RecordingHandler(recorded: recorded) })
            _ = try await timers.fireDue()

            let after = try await harness.get(caseID)
            #expect(after.record.state == "PENDING_SELLER" && after.history == opened.history)
            #expect(after.record.timers.map { "\($0.name) \($0.status)" } == ["T_seller running", "T_ship stopped"])
            #expect(recorded.messages.withLock { $0 }.contains("warning case timer refused by the machine; stopped T_ship"))
        }
    }
}
