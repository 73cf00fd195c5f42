import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Testing

@Suite("Idempotency and mutation ledgers")
struct IdempotencyLedgerTests {
    @Test("the same key with the same arguments gets the first result; with others, INVALID_ARGUMENT")
    func sameKey() async throws {
        let kit = try KitFixture()
        let request = Aftercare_Common_V1_Money(10, "CNY")
        for _ in 0..<2 {
            let result = try await kit.ledger.once(KitFixture.context(key: "k1"), request: request) { db in
                try KitFixture.add(10, to: "a", in: db)
            }
            #expect(result.amountMinor == 10)
        }
        #expect(try await kit.counter("a") == 10)
        let error = await #expect(throws: RPCError.self) {
            _ = try await kit.ledger.once(KitFixture.context(key: "k1"), request: Aftercare_Common_V1_Money(11, "CNY")) { db in
                try KitFixture.add(11, to: "a", in: db)
            }
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("idempotency_key:") == true)
        #expect(try await kit.counter("a") == 10)
    }

    @Test("the same key on another method is another operation")
    func keyIsPerMethod() async throws {
        let kit = try KitFixture()
        let request = Aftercare_Common_V1_Money(1, "CNY")
        _ = try await kit.ledger.once(KitFixture.context("x/A", key: "k"), request: request) { db in try KitFixture.add(1, to: "a", in: db) }
        _ = try await kit.ledger.once(KitFixture.context("x/B", key: "k"), request: request) { db in try KitFixture.add(1, to: "a", in: db) }
        #expect(try await kit.counter("a") == 2)
    }

    @Test("a refused call is not remembered: the corrected retry under the same key runs")
    func refusalNotStored() async throws {
        let kit = try KitFixture()
        await #expect(throws: RPCError.self) {
            _ = try await kit.ledger.once(KitFixture.context(key: "k"), request: Aftercare_Common_V1_Money(0, "CNY")) { _ -> Aftercare_Common_V1_Money in
                throw RPCError.invalidField("amount_minor", "must be positive")
            }
        }
        let result = try await kit.ledger.once(KitFixture.context(key: "k"), request: Aftercare_Common_V1_Money(0, "CNY")) { db in
            try KitFixture.add(5, to: "a", in: db)
        }
        #expect(result.amountMinor == 5)
    }

    @Test("without saga or key: refused, or run when the write has a natural key")
    func withoutKey() async throws {
        let kit = try KitFixture()
        let error = await #expect(throws: RPCError.self) {
            _ = try await kit.ledger.once(KitFixture.context(), request: Aftercare_Common_V1_Money()) { db in try KitFixture.add(1, to: "a", in: db) }
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("idempotency_key:") == true)
        _ = try await kit.ledger.once(KitFixture.context(), request: Aftercare_Common_V1_Money(), withoutKey: .naturalKey) { db in
            try KitFixture.add(1, to: "a", in: db)
        }
        #expect(try await kit.counter("a") == 1)
    }

    @Test("a call in a saga goes through the step ledger")
    func sagaUsesStepLedger() async throws {
        let kit = try KitFixture()
        let saga = SagaContext(sagaID: "sg_9", step: "refund", direction: .forward)
        _ = try await kit.ledger.once(KitFixture.context(saga: saga), request: Aftercare_Common_V1_Money()) { db in
            try KitFixture.add(1, to: "a", in: db)
        }
        #expect(try await kit.ledger.steps.query(sagaID: "sg_9", step: "refund").forward.outcome == .done)
        #expect(try await kit.ledgerRows() == 1)
    }

    @Test("an oversized key names the field")
    func oversizedKey() async throws {
        let kit = try KitFixture()
        let error = await #expect(throws: RPCError.self) {
            _ = try await kit.ledger.once(KitFixture.context(key: String(repeating: "k", count: 201)), request: Aftercare_Common_V1_Money()) { db in
                try KitFixture.add(1, to: "a", in: db)
            }
        }
        #expect(error?.message.hasPrefix("idempotency_key:") == true)
        #expect(try await kit.counter("a") == nil)
    }
}
