import AftercareRPC
import AftercareServiceKit
import AftercareWire
import GRDB
import SwiftProtobuf
import Testing

/// The step ledger's four rules, and that the ledger and the service's write commit together.
@Suite("Step ledger")
struct StepLedgerTests {
    let forward = SagaContext(sagaID: "sg_1", step: "reserve", direction: .forward)
    let compensate = SagaContext(sagaID: "sg_1", step: "reserve", direction: .compensate)

    @Test("a duplicate forward call gets the stored result and writes nothing again")
    func duplicateForward() async throws {
        let kit = try KitFixture()
        for _ in 0..<3 {
            let result = try await kit.ledger.steps.run(self.forward, method: "Add") { db in try KitFixture.add(10, to: "a", in: db) }
            #expect(result.amountMinor == 10)
        }
        #expect(try await kit.counter("a") == 10)
    }

    @Test("a compensation for a step that never ran is nothing to undo, and is remembered")
    func compensationBeforeForward() async throws {
        let kit = try KitFixture()
        let undo = try await kit.ledger.steps.run(
            self.compensate, method: "Release", nothingToUndo: { Aftercare_Common_V1_Money(0, "NONE") }
        ) { db in try KitFixture.add(-10, to: "a", in: db) }
        #expect(undo.currency == "NONE")
        #expect(try await kit.counter("a") == nil)

        // The forward call arriving late is refused and changes nothing.
        await #expect(throws: RPCError.self) {
            _ = try await kit.ledger.steps.run(self.forward, method: "Add") { db in try KitFixture.add(10, to: "a", in: db) }
        }
        #expect(try await kit.counter("a") == nil)
        let report = try await kit.ledger.steps.query(sagaID: "sg_1", step: "reserve")
        #expect(report.compensate.outcome == .nothingToUndo)
        #expect(report.forward.outcome == .refused)
        #expect(report.forward.statusCode == UInt32(RPCError.Code.failedPrecondition.rawValue))
    }

    @Test("a forward call after its compensation is refused with FAILED_PRECONDITION")
    func forwardAfterCompensation() async throws {
        let kit = try KitFixture()
        _ = try await kit.ledger.steps.run(self.forward, method: "Add") { db in try KitFixture.add(10, to: "a", in: db) }
        _ = try await kit.ledger.steps.run(self.compensate, method: "Release") { db in try KitFixture.add(-10, to: "a", in: db) }
        #expect(try await kit.counter("a") == 0)
        // A duplicate forward after the compensation gets the stored forward result (it did run).
        let replay = try await kit.ledger.steps.run(self.forward, method: "Add") { db in try KitFixture.add(10, to: "a", in: db) }
        #expect(replay.amountMinor == 10)
        #expect(try await kit.counter("a") == 0)

        let other = SagaContext(sagaID: "sg_2", step: "reserve", direction: .forward)
        _ = try await kit.ledger.steps.run(
            SagaContext(sagaID: "sg_2", step: "reserve", direction: .compensate), method: "Release") { db in try KitFixture.add(-1, to: "b", in: db) }
        let error = await #expect(throws: RPCError.self) {
            _ = try await kit.ledger.steps.run(other, method: "Add") { db in try KitFixture.add(10, to: "b", in: db) }
        }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.message.contains("compensated") == true)
    }

    @Test("QueryStep answers what happened to each direction")
    func query() async throws {
        let kit = try KitFixture()
        let empty = try await kit.ledger.steps.query(sagaID: "sg_1", step: "reserve")
        #expect(!empty.hasForward && !empty.hasCompensate)
        _ = try await kit.ledger.steps.run(self.forward, method: "orders/Reserve") { db in try KitFixture.add(7, to: "a", in: db) }
        let done = try await kit.ledger.steps.query(sagaID: "sg_1", step: "reserve")
        #expect(done.forward.outcome == .done)
        #expect(done.forward.method == "orders/Reserve")
        #expect(try Aftercare_Common_V1_Money(serializedBytes: done.forward.response).amountMinor == 7)
        #expect(!done.hasCompensate)
    }

    @Test("a refusal is stored: a duplicate gets the same refusal even if the state changed")
    func refusalIsStored() async throws {
        let kit = try KitFixture()
        let refused = await #expect(throws: RPCError.self) {
            _ = try await kit.ledger.steps.run(self.forward, method: "Add") { _ -> Aftercare_Common_V1_Money in
                throw RPCError.failedPrecondition("not enough")
            }
        }
        #expect(refused?.code == .failedPrecondition)
        let again = await #expect(throws: RPCError.self) {
            _ = try await kit.ledger.steps.run(self.forward, method: "Add") { db in try KitFixture.add(1, to: "a", in: db) }
        }
        #expect(again?.message == "not enough")
        #expect(try await kit.counter("a") == nil)
        // Its compensation has nothing to undo.
        _ = try await kit.ledger.steps.run(self.compensate, method: "Release") { db in try KitFixture.add(-1, to: "a", in: db) }
        #expect(try await kit.ledger.steps.query(sagaID: "sg_1", step: "reserve").compensate.outcome == .nothingToUndo)
    }

    @Test("a service write that fails leaves no ledger entry: both commit or neither")
    func failedWriteLeavesNoEntry() async throws {
        let kit = try KitFixture()
        struct DiskFull: Error {}
        await #expect(throws: DiskFull.self) {
            _ = try await kit.ledger.steps.run(self.forward, method: "Add") { db -> Aftercare_Common_V1_Money in
                _ = try KitFixture.add(10, to: "a", in: db)
                throw DiskFull()
            }
        }
        #expect(try await kit.counter("a") == nil)
        #expect(try await kit.ledgerRows() == 0)
        #expect(try await kit.database.dump().isEmpty)
        // A transient failure is not remembered: the retry runs.
        let retried = try await kit.ledger.steps.run(self.forward, method: "Add") { db in try KitFixture.add(10, to: "a", in: db) }
        #expect(retried.amountMinor == 10)
        #expect(try await kit.ledgerRows() == 1)
    }
}
