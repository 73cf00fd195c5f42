import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import GRDB
import SwiftProtobuf
import Testing

/// The saga-facing reservation methods over the in-process transport, with saga contexts: the step
/// ledger's rules, compensations on the same step name, and the refund bookkeeping.
@Suite("reservations in sagas")
struct ReservationSagaTests {
    static func reserve(_ order: Aftercare_Orders_V1_Order, _ amount: Int64, caseID: String = "case_1") -> Aftercare_Orders_V1_ReserveRefundRequest {
        .with { $0.caseID = caseID; $0.orderID = order.orderID; $0.amount = .init(amount, "CNY") }
    }

    @Test("a duplicate forward answers the stored result; the compensation releases; a late forward is refused")
    func reserveDuplicateAndCompensate() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let request = Self.reserve(order, 3_000)
            let first = try await client.call(OrdersMethods.reserveRefund, request, saga: .forward("sg_1", "reserve"))
            let again = try await client.call(OrdersMethods.reserveRefund, request, saga: .forward("sg_1", "reserve"))
            #expect(first == again)
            #expect(first.reservation.status == .open && first.reservation.sagaID == "sg_1")
            #expect(first.order.reserved == .init(3_000, "CNY"))
            #expect(first.order.refundable == .init(7_000, "CNY"))

            let undone = try await client.call(OrdersMethods.reserveRefund, request, saga: .compensate("sg_1", "reserve"))
            #expect(undone.reservation.status == .released)
            #expect(undone.order.refundable == .init(10_000, "CNY"))
            let step = try await client.queryStep("sg_1", "reserve")
            #expect(step.forward.outcome == .done && step.compensate.outcome == .done)
            #expect(step.forward.method == OrdersMethods.reserveRefund.fullName)

            // A new saga for the same case may reserve again once the reservation is released.
            let retry = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 2_000), saga: .forward("sg_2", "reserve"))
            #expect(retry.reservation.status == .open && retry.reservation.amount.amountMinor == 2_000)
        }
        #expect(try await fixture.eventTypes().suffix(3) == [
            "orders.reservation.reserved", "orders.reservation.released", "orders.reservation.reserved",
        ])
    }

    @Test("a compensation before its forward is nothing to undo; the forward arriving after it is refused")
    func compensationBeforeForward() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let before = try await fixture.dump()
            let undo = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 3_000), saga: .compensate("sg_1", "reserve"))
            #expect(!undo.hasReservation)
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 3_000), saga: .forward("sg_1", "reserve"))
            }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.contains("already compensated") == true)
            let step = try await client.queryStep("sg_1", "reserve")
            #expect(step.compensate.outcome == .nothingToUndo)
            #expect(step.forward.outcome == .refused)
            #expect(try await client.order(order.orderID).refundable == .init(10_000, "CNY"))
            // Only the two ledger rows changed.
            let after = try await fixture.dump()
            #expect(after.filter { !$0.hasPrefix("step_ledger") } == before.filter { !$0.hasPrefix("step_ledger") })
        }
    }

    @Test("a case holds one open reservation: a second one under another saga is refused, naming the first")
    func oneReservationPerCase() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            try await client.setStock("cup-blue", 5)
            _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 1_000), saga: .forward("sg_1", "reserve"))
            let second = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 1_000), saga: .forward("sg_2", "reserve"))
            }
            #expect(second?.code == .failedPrecondition)
            #expect(second?.message == "case case_1 already holds an open amount reservation on order \(order.orderID) (saga sg_1)")
            let replacement = await #expect(throws: RPCError.self) {
                _ = try await client.call(
                    OrdersMethods.reserveReplacement,
                    .with {
                        $0.caseID = "case_1"; $0.orderID = order.orderID; $0.lineID = order.lines[1].lineID; $0.replacementSku = "cup-blue"
                        $0.quantity = 1
                    }, saga: .forward("sg_3", "reserve"))
            }
            #expect(replacement?.code == .failedPrecondition)
            #expect(try await client.stock("cup-blue") == 5)
            // The refusal is remembered for that saga's step.
            #expect(try await client.queryStep("sg_2", "reserve").forward.outcome == .refused)
        }
    }

    @Test("more than is refundable is refused with both figures")
    func beyondRefundable() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 7_000, caseID: "case_a"), saga: .forward("sg_a", "reserve"))
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 5_000, caseID: "case_b"), saga: .forward("sg_b", "reserve"))
            }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message == "order \(order.orderID): refundable 30.00 CNY, requested 50.00 CNY")
        }
    }

    @Test("AdjustReservation re-sizes the reservation; its compensation restores the amount it replaced")
    func adjustAndRestore() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 3_000), saga: .forward("setup", "reserve"))
            let adjust = Aftercare_Orders_V1_AdjustReservationRequest.with { $0.caseID = "case_1"; $0.amount = .init(8_000, "CNY") }
            let adjusted = try await client.call(OrdersMethods.adjustReservation, adjust, saga: .forward("refund", "reserve"))
            #expect(adjusted.reservation.amount.amountMinor == 8_000)
            #expect(adjusted.reservation.previousAmount.amountMinor == 3_000)
            #expect(adjusted.order.refundable.amountMinor == 2_000)

            let tooMuch = await #expect(throws: RPCError.self) {
                _ = try await client.call(
                    OrdersMethods.adjustReservation, .with { $0.caseID = "case_1"; $0.amount = .init(12_000, "CNY") },
                    saga: .forward("other", "reserve"))
            }
            #expect(tooMuch?.message == "order \(order.orderID): refundable 100.00 CNY, requested 120.00 CNY")

            let restored = try await client.call(OrdersMethods.adjustReservation, adjust, saga: .compensate("refund", "reserve"))
            #expect(restored.reservation.amount.amountMinor == 3_000)
            #expect(!restored.reservation.hasPreviousAmount)
            #expect(restored.order.refundable.amountMinor == 7_000)
            // A duplicate compensation answers the stored result and restores nothing twice.
            #expect(try await client.call(OrdersMethods.adjustReservation, adjust, saga: .compensate("refund", "reserve")) == restored)
        }
        #expect(try await fixture.eventTypes().suffix(3) == [
            "orders.reservation.reserved", "orders.reservation.adjusted", "orders.reservation.restored",
        ])
    }

    @Test("ReserveRefund with adjust_held reserves, or adjusts the amount the case holds; a retry does neither twice; the compensation undoes what the forward did")
    func reserveOrAdjust() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            // Nothing held: it reserves, and its compensation releases.
            var fresh = Self.reserve(order, 2_000, caseID: "case_a")
            fresh.adjustHeld = true
            let reserved = try await client.call(OrdersMethods.reserveRefund, fresh, saga: .forward("refund_a", "reserve_refund"))
            #expect(!reserved.adjusted)
            #expect(reserved.reservation.sagaID == "refund_a" && !reserved.reservation.hasPreviousAmount)
            let released = try await client.call(OrdersMethods.reserveRefund, fresh, saga: .compensate("refund_a", "reserve_refund"))
            #expect(released.reservation.status == .released)
            #expect(released.order.refundable.amountMinor == 10_000)

            // A return's setup holds 30.00; the Refund's one call adjusts it to 80.00.
            _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 3_000), saga: .forward("setup", "reserve_refund"))
            var request = Self.reserve(order, 8_000)
            request.adjustHeld = true
            let adjusted = try await client.call(OrdersMethods.reserveRefund, request, saga: .forward("refund", "reserve_refund"))
            #expect(adjusted.adjusted)
            #expect(adjusted.reservation.status == .open && adjusted.reservation.sagaID == "setup")
            #expect(adjusted.reservation.amount.amountMinor == 8_000 && adjusted.reservation.previousAmount.amountMinor == 3_000)
            #expect(adjusted.order.refundable.amountMinor == 2_000)
            // A retry under the step's key answers the stored result: nothing reserved twice.
            #expect(try await client.call(OrdersMethods.reserveRefund, request, saga: .forward("refund", "reserve_refund")) == adjusted)
            #expect(try await client.order(order.orderID).refundable.amountMinor == 2_000)

            // Compensated, it restores the setup's 30.00 and keeps the reservation open (not released).
            let restored = try await client.call(OrdersMethods.reserveRefund, request, saga: .compensate("refund", "reserve_refund"))
            #expect(restored.reservation.status == .open && restored.reservation.sagaID == "setup")
            #expect(restored.reservation.amount.amountMinor == 3_000 && !restored.reservation.hasPreviousAmount)
            #expect(restored.order.refundable.amountMinor == 7_000)
            #expect(try await client.call(OrdersMethods.reserveRefund, request, saga: .compensate("refund", "reserve_refund")) == restored)
            #expect(try await client.order(order.orderID).refundable.amountMinor == 7_000)

            // Without adjust_held a held reservation is still refused.
            let refused = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 8_000), saga: .forward("plain", "reserve_refund"))
            }
            #expect(refused?.code == .failedPrecondition)
        }
        #expect(try await fixture.eventTypes().suffix(5) == [
            "orders.reservation.reserved", "orders.reservation.released", "orders.reservation.reserved", "orders.reservation.adjusted",
            "orders.reservation.restored",
        ])
    }

    @Test("adjust_held adjusts only an amount held on the same order: a held replacement is refused and keeps its stock")
    func reserveOrAdjustRefusesReplacement() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            try await client.setStock("cup-blue", 5)
            _ = try await client.call(
                OrdersMethods.reserveReplacement,
                .with {
                    $0.caseID = "case_1"; $0.orderID = order.orderID; $0.lineID = order.lines[1].lineID; $0.replacementSku = "cup-blue"
                    $0.quantity = 1
                }, saga: .forward("exchange", "reserve_replacement"))
            var request = Self.reserve(order, 1_000)
            request.adjustHeld = true
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.reserveRefund, request, saga: .forward("refund", "reserve_refund"))
            }
            #expect(error?.code == .failedPrecondition)
            #expect(try await client.call(OrdersMethods.getReservation, .with { $0.caseID = "case_1" }).reservation.kind == .replacement)
            #expect(try await client.stock("cup-blue") == 4)
        }
    }

    @Test("CommitRefund books the refund, releases the surplus, records line quantities and restocks accepted units")
    func commitRefund() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let tea = order.lines[0].lineID
            try await client.setStock("tea-green", 10)
            _ = try await client.call(
                OrdersMethods.reserveRefund,
                .with {
                    $0.caseID = "case_1"; $0.orderID = order.orderID; $0.amount = .init(6_000, "CNY")
                    $0.lines = [.with { $0.lineID = tea; $0.quantity = 2 }]
                }, saga: .forward("sg_1", "reserve"))
            #expect(try await client.order(order.orderID).lines[0].reservedQuantity == 2)
            let commit = Aftercare_Orders_V1_CommitRefundRequest.with {
                $0.caseID = "case_1"
                $0.refundedAmount = .init(5_000, "CNY")
                $0.lines = [.with { $0.lineID = tea; $0.refundedQuantity = 2; $0.returnedQuantity = 2; $0.refunded = .init(5_000, "CNY") }]
                $0.restock = [.with { $0.lineID = tea; $0.quantity = 1 }]
            }
            let committed = try await client.call(OrdersMethods.commitRefund, commit, saga: .forward("sg_2", "commit"))
            #expect(committed.reservation.status == .committed)
            #expect(committed.reservation.committedAmount == .init(5_000, "CNY"))
            #expect(committed.order.refunded == .init(5_000, "CNY"))
            #expect(committed.order.reserved == .init(0, "CNY"))
            #expect(committed.order.refundable == .init(5_000, "CNY"))
            let line = committed.order.lines[0]
            #expect(line.refundedQuantity == 2 && line.returnedQuantity == 2 && line.reservedQuantity == 0)
            #expect(line.refunded == .init(5_000, "CNY"))
            #expect(try await client.stock("tea-green") == 11)
            // A duplicate answers the stored result; nothing is booked or restocked twice.
            #expect(try await client.call(OrdersMethods.commitRefund, commit, saga: .forward("sg_2", "commit")) == committed)
            #expect(try await client.stock("tea-green") == 11)
            // It cannot be compensated, and a committed reservation cannot be released.
            let undo = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.commitRefund, commit, saga: .compensate("sg_2", "commit"))
            }
            #expect(undo?.code == .failedPrecondition)
            let release = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.releaseReservation, .with { $0.caseID = "case_1" })
            }
            #expect(release?.message == "reservation of case case_1 is committed; it cannot be released")
        }
        #expect(try await fixture.eventTypes().suffix(3) == ["orders.reservation.reserved", "orders.stock.changed", "orders.reservation.committed"])
    }

    @Test("a replacement takes stock, its compensation returns it, CommitExchange swaps the line and restocks the return")
    func replacement() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let cup = order.lines[1].lineID
            try await client.setStock("cup-blue", 1)
            try await client.setStock("cup-red", 0)
            let reserve = Aftercare_Orders_V1_ReserveReplacementRequest.with {
                $0.caseID = "case_x"; $0.orderID = order.orderID; $0.lineID = cup; $0.replacementSku = "cup-blue"
                $0.replacementOption = "blue"; $0.quantity = 1
            }
            let reserved = try await client.call(OrdersMethods.reserveReplacement, reserve, saga: .forward("setup", "reserve"))
            #expect(reserved.reservation.kind == .replacement && reserved.reservation.status == .open)
            #expect(try await client.stock("cup-blue") == 0)

            // Out of stock for a second case.
            var other = reserve
            other.caseID = "case_y"
            other.lineID = order.lines[0].lineID
            let empty = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.reserveReplacement, other, saga: .forward("setup_y", "reserve"))
            }
            #expect(empty?.message == "stock of cup-blue: 0 available, requested 1")

            _ = try await client.call(OrdersMethods.reserveReplacement, reserve, saga: .compensate("setup", "reserve"))
            #expect(try await client.stock("cup-blue") == 1)

            let again = try await client.call(OrdersMethods.reserveReplacement, reserve, saga: .forward("fulfil", "reserve"))
            #expect(again.reservation.status == .open)
            let exchanged = try await client.call(
                OrdersMethods.commitExchange, .with { $0.caseID = "case_x"; $0.restockReturned = true }, saga: .forward("fulfil", "commit"))
            #expect(exchanged.reservation.status == .committed)
            let line = exchanged.order.lines[1]
            #expect(line.lineID == cup && line.sku == "cup-blue" && line.option == "blue" && line.quantity == 1)
            #expect(try await client.stock("cup-blue") == 0)
            #expect(try await client.stock("cup-red") == 1)
        }
    }

    @Test("a partial exchange splits the line: the exchanged units become a line of their own")
    func partialExchange() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let tea = order.lines[0].lineID
            try await client.setStock("tea-black", 3)
            _ = try await client.call(
                OrdersMethods.reserveReplacement,
                .with {
                    $0.caseID = "case_1"; $0.orderID = order.orderID; $0.lineID = tea; $0.replacementSku = "tea-black"; $0.quantity = 1
                }, key: "reserve-1")
            let exchanged = try await client.call(OrdersMethods.commitExchange, .with { $0.caseID = "case_1" }, key: "commit-1")
            #expect(exchanged.order.lines.map(\.sku) == ["tea-green", "cup-red", "tea-black"])
            #expect(exchanged.order.lines.map(\.quantity) == [1, 1, 1])
            #expect(exchanged.order.lines[2].exchangedFromLineID == tea)
            #expect(exchanged.order.total == order.total)
            #expect(try await client.stock("tea-black") == 2)
            #expect(try await client.stock("tea-green") == 0)
        }
    }

    @Test("ReleaseReservation returns the amount, answers a released reservation unchanged, and its compensation changes nothing")
    func release() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 4_000), saga: .forward("setup", "reserve"))
            let released = try await client.call(
                OrdersMethods.releaseReservation, .with { $0.caseID = "case_1" }, saga: .forward("cancel", "release"))
            #expect(released.reservation.status == .released)
            #expect(released.order.refundable.amountMinor == 10_000)
            let before = try await fixture.dump()
            let plain = try await client.call(OrdersMethods.releaseReservation, .with { $0.caseID = "case_1" })
            #expect(plain.reservation == released.reservation)
            #expect(try await fixture.dump() == before)
            let undo = try await client.call(
                OrdersMethods.releaseReservation, .with { $0.caseID = "case_1" }, saga: .compensate("cancel", "release"))
            #expect(undo.reservation.status == .released)
        }
    }

    @Test("a write that fails leaves no ledger entry and no change; the retry then runs")
    func failedWriteLeavesNoEntry() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            try await fixture.database.write { db in
                try db.execute(sql: "CREATE TRIGGER fail_reservations BEFORE INSERT ON reservations BEGIN SELECT RAISE(ABORT, 'disk full'); END")
            }
            let before = try await fixture.dump()
            await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 1_000), saga: .forward("sg_1", "reserve"))
            }
            #expect(try await fixture.dump() == before)
            let step = try await client.queryStep("sg_1", "reserve")
            #expect(!step.hasForward && !step.hasCompensate)

            try await fixture.database.write { db in try db.execute(sql: "DROP TRIGGER fail_reservations") }
            let retried = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 1_000), saga: .forward("sg_1", "reserve"))
            #expect(retried.reservation.status == .open)
            #expect(try await client.queryStep("sg_1", "reserve").forward.outcome == .done)
        }
    }
}
