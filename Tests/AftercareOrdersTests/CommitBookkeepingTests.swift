import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import SwiftProtobuf
import Testing

/// What commits book on the order's lines (amounts split by the service, units other cases hold,
/// restocks per commit, exchanges' returned units) and the history of a case's replaced
/// reservations. The sample order: 2 teas at 25.00, 1 cup at 40.00, shipping 10.00.
@Suite("commit bookkeeping")
struct CommitBookkeepingTests {
    static func reserve(
        _ client: OrdersClient, _ order: Aftercare_Orders_V1_Order, _ amount: Int64, caseID: String = "case_1", saga: String = "sg_setup",
        lines: [Aftercare_Orders_V1_ReservationLine] = []
    ) async throws -> Aftercare_Orders_V1_ReservationResponse {
        try await client.call(
            OrdersMethods.reserveRefund,
            .with { $0.caseID = caseID; $0.orderID = order.orderID; $0.amount = .init(amount, "CNY"); $0.lines = lines },
            saga: .forward(saga, "reserve"))
    }

    static func units(_ lineID: String, _ quantity: Int64) -> Aftercare_Orders_V1_ReservationLine {
        .with { $0.lineID = lineID; $0.quantity = quantity }
    }

    @Test("without line amounts the service splits the refund by the refunded units' value; shipping stays on the order")
    func serviceSplitsTheRefund() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let (tea, cup) = (order.lines[0].lineID, order.lines[1].lineID)
            _ = try await Self.reserve(client, order, 10_000)
            let committed = try await client.call(
                OrdersMethods.commitRefund,
                .with {
                    $0.caseID = "case_1"; $0.refundedAmount = .init(10_000, "CNY")
                    $0.lines = [
                        .with { $0.lineID = tea; $0.refundedQuantity = 2 }, .with { $0.lineID = cup; $0.refundedQuantity = 1 },
                    ]
                }, saga: .forward("sg_refund", "commit"))
            #expect(committed.order.lines.map(\.refunded.amountMinor) == [5_000, 4_000])
            #expect(committed.order.refunded.amountMinor == 10_000)
            #expect(committed.order.refundable.amountMinor == 0)
        }
    }

    @Test("a partial refund is split in proportion, the cents going to the earliest line")
    func partialRefundSplitsInProportion() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let (tea, cup) = (order.lines[0].lineID, order.lines[1].lineID)
            _ = try await Self.reserve(client, order, 5_000)
            // Claims 25.00 (one tea) and 40.00 (the cup); 50.00 refunded: 19.23… and 30.76… → 19.24 and 30.76.
            let committed = try await client.call(
                OrdersMethods.commitRefund,
                .with {
                    $0.caseID = "case_1"; $0.refundedAmount = .init(5_000, "CNY")
                    $0.lines = [
                        .with { $0.lineID = tea; $0.refundedQuantity = 1 }, .with { $0.lineID = cup; $0.refundedQuantity = 1 },
                    ]
                }, key: "commit")
            #expect(committed.order.lines.map(\.refunded.amountMinor) == [1_924, 3_076])
            #expect(committed.order.lines.map(\.refundedQuantity) == [1, 1])
        }
    }

    @Test("refunded units cannot take units another case holds reserved on the line")
    func refundedUnitsRespectOtherCases() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let tea = order.lines[0].lineID
            _ = try await Self.reserve(client, order, 2_000, caseID: "case_a", saga: "sg_a", lines: [Self.units(tea, 2)])
            _ = try await Self.reserve(client, order, 2_000, caseID: "case_b", saga: "sg_b")
            let before = try await fixture.dump()
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(
                    OrdersMethods.commitRefund,
                    .with {
                        $0.caseID = "case_b"; $0.refundedAmount = .init(2_000, "CNY")
                        $0.lines = [.with { $0.lineID = tea; $0.refundedQuantity = 1 }]
                    }, key: "commit_b")
            }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message == "line \(tea): 2 units, refunded 1 with this commit and 2 reserved by other cases")
            #expect(try await fixture.dump() == before)
            // The case's own reserved units are given back by its commit.
            let own = try await client.call(
                OrdersMethods.commitRefund,
                .with {
                    $0.caseID = "case_a"; $0.refundedAmount = .init(2_000, "CNY")
                    $0.lines = [.with { $0.lineID = tea; $0.refundedQuantity = 2 }]
                }, key: "commit_a")
            #expect(own.order.lines[0].refundedQuantity == 2 && own.order.lines[0].reservedQuantity == 0)
        }
    }

    @Test("a restock is limited to the units its commit returns, once per case and SKU, Restock included")
    func restockPerCommit() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let tea = order.lines[0].lineID
            try await client.setStock("tea-green", 0)
            _ = try await Self.reserve(client, order, 2_500, caseID: "case_a", saga: "sg_a")
            _ = try await client.call(
                OrdersMethods.commitRefund,
                .with {
                    $0.caseID = "case_a"; $0.refundedAmount = .init(2_500, "CNY")
                    $0.lines = [.with { $0.lineID = tea; $0.refundedQuantity = 1; $0.returnedQuantity = 1 }]
                    $0.restock = [Self.units(tea, 1)]
                }, key: "commit_a")
            #expect(try await client.stock("tea-green") == 1)
            // The same case's Restock of that SKU is the one it already had.
            _ = try await client.call(OrdersMethods.restock, .with { $0.sku = "tea-green"; $0.quantity = 1; $0.caseID = "case_a" })
            #expect(try await client.stock("tea-green") == 1)

            // Another case returns nothing: the unit case_a returned is not its to restock.
            _ = try await Self.reserve(client, order, 2_500, caseID: "case_b", saga: "sg_b")
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(
                    OrdersMethods.commitRefund,
                    .with {
                        $0.caseID = "case_b"; $0.refundedAmount = .init(2_500, "CNY")
                        $0.lines = [.with { $0.lineID = tea; $0.refundedQuantity = 1 }]
                        $0.restock = [Self.units(tea, 1)]
                    }, key: "commit_b")
            }
            #expect(error?.message == "restock[0]: line \(tea) returns 0 units with this commit, 1 to restock")
            #expect(try await client.stock("tea-green") == 1)
        }
    }

    @Test("CommitExchange records the units sent back; the replacements may be returned in turn")
    func exchangeRecordsReturnedUnits() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let (tea, cup) = (order.lines[0].lineID, order.lines[1].lineID)
            try await client.setStock("cup-blue", 1)
            try await client.setStock("tea-black", 1)
            _ = try await client.call(
                OrdersMethods.reserveReplacement,
                .with { $0.caseID = "case_x"; $0.orderID = order.orderID; $0.lineID = cup; $0.replacementSku = "cup-blue"; $0.quantity = 1 },
                key: "reserve_x")
            let whole = try await client.call(OrdersMethods.commitExchange, .with { $0.caseID = "case_x" }, key: "commit_x")
            #expect(whole.order.lines[1].sku == "cup-blue")
            #expect(whole.order.lines[1].returnedQuantity == 1 && whole.order.lines[1].exchangedQuantity == 1)

            _ = try await client.call(
                OrdersMethods.reserveReplacement,
                .with { $0.caseID = "case_y"; $0.orderID = order.orderID; $0.lineID = tea; $0.replacementSku = "tea-black"; $0.quantity = 1 },
                key: "reserve_y")
            let partial = try await client.call(OrdersMethods.commitExchange, .with { $0.caseID = "case_y" }, key: "commit_y")
            #expect(partial.order.lines.map(\.quantity) == [1, 1, 1])
            #expect(partial.order.lines.map(\.returnedQuantity) == [1, 1, 0])
            #expect(partial.order.lines.map(\.exchangedQuantity) == [1, 1, 0])

            // The buyer returns the replacement cup for a refund: two cups sent back on a line of one.
            _ = try await Self.reserve(client, order, 4_000, caseID: "case_z", saga: "sg_z", lines: [Self.units(cup, 1)])
            let refunded = try await client.call(
                OrdersMethods.commitRefund,
                .with {
                    $0.caseID = "case_z"; $0.refundedAmount = .init(4_000, "CNY")
                    $0.lines = [.with { $0.lineID = cup; $0.refundedQuantity = 1; $0.returnedQuantity = 1 }]
                }, key: "commit_z")
            #expect(refunded.order.lines[1].returnedQuantity == 2 && refunded.order.lines[1].refunded.amountMinor == 4_000)
        }
    }

    @Test("a lost replacement sent again: the committed exchange is replaced by a new stock reservation, whose commit takes only the stock")
    func lostReplacementReshipped() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let cup = order.lines[1].lineID
            try await client.setStock("cup-blue", 2)
            let reserve = Aftercare_Orders_V1_ReserveReplacementRequest.with {
                $0.caseID = "case_r"; $0.orderID = order.orderID; $0.lineID = cup; $0.replacementSku = "cup-blue"; $0.quantity = 1
            }
            _ = try await client.call(OrdersMethods.reserveReplacement, reserve, key: "reserve_r1")
            let first = try await client.call(OrdersMethods.commitExchange, .with { $0.caseID = "case_r"; $0.restockReturned = true }, key: "commit_r1")
            #expect(try await client.stock("cup-blue") == 1)
            #expect(try await client.stock("cup-red") == 1)

            let again = try await client.call(OrdersMethods.reserveReplacement, reserve, key: "reserve_r2")
            #expect(again.reservation.status == .open)
            #expect(try await client.stock("cup-blue") == 0)
            let second = try await client.call(OrdersMethods.commitExchange, .with { $0.caseID = "case_r"; $0.restockReturned = true }, key: "commit_r2")
            #expect(second.reservation.status == .committed)
            // The line and the returned cup were booked once, by the first commit.
            #expect(second.order.lines == first.order.lines)
            #expect(try await client.stock("cup-red") == 1)
            let got = try await client.call(OrdersMethods.getReservation, .with { $0.caseID = "case_r" })
            #expect(got.replaced.map(\.status) == [.committed])
            // Out of stock for a third shipment.
            await #expect(throws: RPCError.self) { _ = try await client.call(OrdersMethods.reserveReplacement, reserve, key: "reserve_r3") }
        }
    }

    @Test("a released reservation replaced by a new saga's stays on record")
    func replacedReservationsKept() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let order = try await client.paidOrder()
            let first = try await Self.reserve(client, order, 3_000, saga: "sg_1")
            let released = try await client.call(OrdersMethods.reserveRefund, .with {
                $0.caseID = "case_1"; $0.orderID = order.orderID; $0.amount = .init(3_000, "CNY")
            }, saga: .compensate("sg_1", "reserve"))
            let second = try await Self.reserve(client, order, 2_000, saga: "sg_2")
            #expect(second.reservation.sagaID == "sg_2" && second.reservation.createdAtUnixMicros > 0)
            let got = try await client.call(OrdersMethods.getReservation, .with { $0.caseID = "case_1" })
            #expect(got.reservation == second.reservation)
            #expect(got.replaced == [released.reservation])
            #expect(got.replaced.first?.sagaID == first.reservation.sagaID)
        }
    }
}
