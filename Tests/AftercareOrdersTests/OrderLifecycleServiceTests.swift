import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import Foundation
import SwiftProtobuf
import Testing

/// Orders over the in-process transport: creation, the lifecycle, listing and totals.
@Suite("orders lifecycle")
struct OrderLifecycleServiceTests {
    @Test("create, pay, ship, deliver, complete: each transition stamped and announced; repeats answer the order")
    func lifecycle() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let created = try await client.create()
            #expect(created.status == .created)
            #expect(created.total == .init(10_000, "CNY"))
            #expect(created.lines.map(\.sku) == ["tea-green", "cup-red"])
            #expect(created.orderID.hasPrefix("ord_"))
            #expect(created.refundable == .init(0, "CNY"))

            let paid = try await client.markPaid(created)
            #expect(paid.status == .paid && paid.paymentID == "pay_1" && paid.paid == created.total)
            #expect(paid.refundable == created.total)
            let shipped = try await client.call(OrdersMethods.markShipped, .with { $0.orderID = created.orderID }).order
            let delivered = try await client.call(OrdersMethods.markDelivered, .with { $0.orderID = created.orderID }).order
            let completed = try await client.call(OrdersMethods.completeOrder, .with { $0.orderID = created.orderID }).order
            #expect([shipped.status, delivered.status, completed.status] == [.shipped, .delivered, .completed])
            #expect(completed.paidAtUnixMicros > 0 && completed.shippedAtUnixMicros > 0 && completed.deliveredAtUnixMicros > 0)
            #expect(completed.completedAtUnixMicros == fixture.clock.nowMicros)

            // Repeating transitions that already happened answers the current order and writes nothing.
            let before = try await fixture.dump()
            #expect(try await client.markPaid(created).status == .completed)
            #expect(try await client.call(OrdersMethods.markShipped, .with { $0.orderID = created.orderID }).order == completed)
            #expect(try await fixture.dump() == before)

            // Another payment of a paid order is refused, naming the payment that paid it.
            let error = await #expect(throws: RPCError.self) { _ = try await client.markPaid(created, payment: "pay_2") }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.contains("paid by payment pay_1") == true)
        }
        #expect(try await fixture.eventTypes() == [
            "orders.order.created", "orders.order.paid", "orders.order.shipped", "orders.order.delivered", "orders.order.completed",
        ])
        let events = try await fixture.feed.read(afterSeq: 0, limit: 10)
        #expect(events.allSatisfy { $0.buyerID == "b_1" && $0.sellerID == "s_1" && $0.subjects.orderID.hasPrefix("ord_") })
        #expect(events.last?.payload(as: Aftercare_Orders_V1_Order.self)?.status == .completed)
    }

    @Test("CreateOrder needs a key; the same key and request answer the first order, other arguments are refused")
    func createIsIdempotentByKey() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let first = try await client.create(key: "k1")
            let again = try await client.create(key: "k1")
            #expect(first == again)
            let other = await #expect(throws: RPCError.self) { _ = try await client.create(OrdersClient.sampleOrder(buyer: "b_2"), key: "k1") }
            #expect(other?.code == .invalidArgument)
            #expect(other?.message.hasPrefix("idempotency_key:") == true)
            let missing = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.createOrder, OrdersClient.sampleOrder())
            }
            #expect(missing?.code == .invalidArgument)
            #expect(missing?.message.hasPrefix("idempotency_key:") == true)
        }
        #expect(try await fixture.eventTypes() == ["orders.order.created"])
    }

    @Test("cancel a created order at once; a paid one through its cancellation (refund, then cancelled, or back to paid); refused once shipped or while a case holds a reservation")
    func cancel() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let created = try await client.create()
            let cancelled = try await client.call(OrdersMethods.cancelOrder, .with { $0.orderID = created.orderID; $0.reason = "changed mind" }).order
            #expect(cancelled.status == .cancelled && cancelled.cancelReason == "changed mind")
            let late = await #expect(throws: RPCError.self) { _ = try await client.markPaid(created) }
            #expect(late?.message == "order \(created.orderID) is cancelled; it cannot be marked paid")

            let paid = try await client.paidOrder()
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_1"; $0.orderID = paid.orderID; $0.amount = .init(1_000, "CNY") },
                key: "r1")
            let held = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.requestCancellation, .with { $0.orderID = paid.orderID })
            }
            #expect(held?.code == .failedPrecondition)
            #expect(held?.message.contains("open reservation for case case_1") == true)
            _ = try await client.call(OrdersMethods.releaseReservation, .with { $0.caseID = "case_1" })
            let direct = await #expect(throws: RPCError.self) { _ = try await client.call(OrdersMethods.cancelOrder, .with { $0.orderID = paid.orderID }) }
            #expect(direct?.message.contains("cancelled through RequestCancellation") == true)
            let cancelling = try await client.call(OrdersMethods.requestCancellation, .with { $0.orderID = paid.orderID; $0.reason = "too slow" }).order
            #expect(cancelling.status == .cancelling && cancelling.cancelReason == "too slow")
            let noShip = await #expect(throws: RPCError.self) { _ = try await client.call(OrdersMethods.markShipped, .with { $0.orderID = paid.orderID }) }
            #expect(noShip?.message == "order \(paid.orderID) is cancelling; it cannot be marked shipped")
            let short = await #expect(throws: RPCError.self) {
                _ = try await client.call(
                    OrdersMethods.finishCancellation, .with { $0.orderID = paid.orderID; $0.refundID = "rfd_1"; $0.refunded = .init(1, "CNY") })
            }
            #expect(short?.code == .invalidArgument && short?.message.contains("refunded") == true)
            let finished = try await client.call(
                OrdersMethods.finishCancellation, .with { $0.orderID = paid.orderID; $0.refundID = "rfd_1"; $0.refunded = cancelling.refundable }).order
            #expect(finished.status == .cancelled && finished.refunded == paid.paid && finished.refundable.amountMinor == 0)

            let refundedWhole = try await client.paidOrder(payment: "pay_whole")
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_whole"; $0.orderID = refundedWhole.orderID; $0.amount = refundedWhole.paid },
                key: "rw")
            _ = try await client.call(OrdersMethods.commitRefund, .with { $0.caseID = "case_whole"; $0.refundedAmount = refundedWhole.paid }, key: "cw")
            let nothingBack = try await client.call(OrdersMethods.requestCancellation, .with { $0.orderID = refundedWhole.orderID }).order
            #expect(nothingBack.status == .cancelled && nothingBack.refunded == refundedWhole.paid)

            let kept = try await client.paidOrder(payment: "pay_kept")
            _ = try await client.call(OrdersMethods.requestCancellation, .with { $0.orderID = kept.orderID })
            let abandoned = try await client.call(OrdersMethods.abandonCancellation, .with { $0.orderID = kept.orderID; $0.reason = "declined" }).order
            #expect(abandoned.status == .paid && abandoned.cancelReason.isEmpty && abandoned.refunded.amountMinor == 0)

            let shipped = try await client.paidOrder()
            _ = try await client.call(OrdersMethods.markShipped, .with { $0.orderID = shipped.orderID })
            let refused = await #expect(throws: RPCError.self) {
                _ = try await client.call(OrdersMethods.cancelOrder, .with { $0.orderID = shipped.orderID })
            }
            #expect(refused?.message == "order \(shipped.orderID) is shipped; only a created order can be cancelled at once")
        }
    }

    @Test("ListOrders pages a buyer's or a seller's orders newest first, filtered by status")
    func listOrders() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            var ids: [String] = []
            for index in 0..<5 {
                try fixture.clock.advanceForTest()
                let order = try await client.create(OrdersClient.sampleOrder(buyer: "b_1", seller: index < 3 ? "s_1" : "s_2"))
                if index.isMultiple(of: 2) { _ = try await client.markPaid(order) }
                ids.append(order.orderID)
            }
            _ = try await client.create(OrdersClient.sampleOrder(buyer: "b_other"))

            var seen: [String] = []
            var token = ""
            repeat {
                let page = try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = "b_1"; $0.pageSize = 2; $0.pageToken = token })
                #expect(page.orders.count <= 2)
                seen += page.orders.map(\.orderID)
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(seen == ids.reversed())

            let paid = try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = "b_1"; $0.statuses = [.paid] })
            #expect(paid.orders.map(\.orderID) == [ids[4], ids[2], ids[0]])
            #expect(paid.nextPageToken.isEmpty)
            let seller = try await client.call(OrdersMethods.listOrders, .with { $0.sellerID = "s_2" })
            #expect(seller.orders.map(\.orderID) == [ids[4], ids[3]])
        }
    }

    @Test("GetTotals counts orders, sums payments and committed refunds per currency, for a party or the platform")
    func totals() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let start = fixture.clock.nowMicros
            let first = try await client.paidOrder(buyer: "b_1", seller: "s_1")
            _ = try await client.paidOrder(buyer: "b_1", seller: "s_2")
            _ = try await client.create(OrdersClient.sampleOrder(buyer: "b_2", seller: "s_1"))
            var usd = OrdersClient.sampleOrder(buyer: "b_1", seller: "s_1")
            usd.currency = "USD"
            usd.shippingFee.currency = "USD"
            for index in usd.lines.indices { usd.lines[index].unitPrice.currency = "USD" }
            _ = try await client.markPaid(try await client.create(usd), payment: "pay_usd")
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_1"; $0.orderID = first.orderID; $0.amount = .init(3_000, "CNY") },
                key: "r1")
            _ = try await client.call(
                OrdersMethods.commitRefund, .with { $0.caseID = "case_1"; $0.refundedAmount = .init(2_500, "CNY") }, key: "c1")
            try fixture.clock.advanceForTest()
            let end = fixture.clock.nowMicros

            let buyer = try await client.call(
                OrdersMethods.getTotals, .with { $0.partyKind = .buyer; $0.partyID = "b_1"; $0.fromUnixMicros = start; $0.toUnixMicros = end })
            #expect(buyer.orders == 3)
            #expect(buyer.paid == [.init(20_000, "CNY"), .init(10_000, "USD")])
            #expect(buyer.refunded == [.init(2_500, "CNY")])
            let seller = try await client.call(
                OrdersMethods.getTotals, .with { $0.partyKind = .seller; $0.partyID = "s_1"; $0.fromUnixMicros = start; $0.toUnixMicros = end })
            #expect(seller.orders == 3)
            #expect(seller.paid == [.init(10_000, "CNY"), .init(10_000, "USD")])
            let platform = try await client.call(
                OrdersMethods.getTotals, .with { $0.partyKind = .platform; $0.fromUnixMicros = start; $0.toUnixMicros = end })
            #expect(platform.orders == 4)
            #expect(platform.refunded == [.init(2_500, "CNY")])
            let before = try await client.call(
                OrdersMethods.getTotals, .with { $0.partyKind = .platform; $0.fromUnixMicros = 0; $0.toUnixMicros = start })
            #expect(before.orders == 0 && before.paid.isEmpty && before.refunded.isEmpty)
        }
    }

    @Test("a paid order cancelled since counts in neither paid nor refunded; it still counts as an order")
    func totalsLeaveCancelledOrdersOut() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let start = fixture.clock.nowMicros
            _ = try await client.paidOrder()
            let cancelled = try await client.paidOrder(payment: "pay_2")
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_1"; $0.orderID = cancelled.orderID; $0.amount = .init(1_000, "CNY") },
                key: "r1")
            _ = try await client.call(
                OrdersMethods.commitRefund, .with { $0.caseID = "case_1"; $0.refundedAmount = .init(1_000, "CNY") }, key: "c1")
            let cancelling = try await client.call(OrdersMethods.requestCancellation, .with { $0.orderID = cancelled.orderID; $0.reason = "out of stock" })
            _ = try await client.call(
                OrdersMethods.finishCancellation,
                .with { $0.orderID = cancelled.orderID; $0.refundID = "rfd_2"; $0.refunded = cancelling.order.refundable })
            try fixture.clock.advanceForTest()
            let totals = try await client.call(
                OrdersMethods.getTotals,
                .with { $0.partyKind = .buyer; $0.partyID = "b_1"; $0.fromUnixMicros = start; $0.toUnixMicros = fixture.clock.nowMicros })
            #expect(totals.orders == 2)
            #expect(totals.paid == [.init(10_000, "CNY")])
            #expect(totals.refunded.isEmpty)
        }
    }

    @Test("orders created at the same instant page without gaps or repeats, in id order")
    func listOrdersWithEqualTimestamps() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            var ids: [String] = []
            for _ in 0..<7 { ids.append(try await client.create().orderID) }
            var seen: [String] = []
            var token = ""
            repeat {
                let page = try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = "b_1"; $0.pageSize = 3; $0.pageToken = token })
                seen += page.orders.map(\.orderID)
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(seen == ids.sorted(by: >))
        }
    }
}

extension ServiceClock {
    /// Moves a test clock on by a millisecond, so ids and times made after it sort after.
    func advanceForTest() throws {
        try self.advance(byMicros: 1_000)
    }
}
