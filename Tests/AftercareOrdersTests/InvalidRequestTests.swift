import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import SwiftProtobuf
import Testing

/// What each invalid request is checked against: a paid order (100.00 CNY) with an open reservation
/// of 20.00 CNY for `case_open`, a created order, and one `cup-blue` in stock.
struct InvalidRequestSetup: Sendable {
    let paid: Aftercare_Orders_V1_Order
    let created: Aftercare_Orders_V1_Order

    static func make(_ client: OrdersClient) async throws -> InvalidRequestSetup {
        let paid = try await client.paidOrder()
        let created = try await client.create()
        _ = try await client.call(
            OrdersMethods.reserveRefund, .with { $0.caseID = "case_open"; $0.orderID = paid.orderID; $0.amount = .init(2_000, "CNY") },
            key: "setup")
        try await client.setStock("cup-blue", 1)
        return InvalidRequestSetup(paid: try await client.order(paid.orderID), created: created)
    }
}

/// One invalid request: the status it gets and what its message must name.
typealias InvalidOrdersRequest = InvalidRequest<OrdersClient, InvalidRequestSetup>

@Suite("invalid requests")
struct InvalidRequestTests {
    static func create(_ change: @escaping @Sendable (inout Aftercare_Orders_V1_CreateOrderRequest) -> Void) -> @Sendable (OrdersClient, InvalidRequestSetup) async throws -> Void {
        { client, _ in
            var request = OrdersClient.sampleOrder()
            change(&request)
            _ = try await client.create(request, key: "bad-create")
        }
    }

    static let cases: [InvalidOrdersRequest] = [
        InvalidOrdersRequest("unknown order", .notFound, "order_id: no order ord_missing") { client, _ in
            _ = try await client.call(OrdersMethods.markShipped, .with { $0.orderID = "ord_missing" })
        },
        InvalidOrdersRequest("unknown case", .notFound, "case_id: no reservation for case case_missing") { client, _ in
            _ = try await client.call(
                OrdersMethods.adjustReservation, .with { $0.caseID = "case_missing"; $0.amount = .init(100, "CNY") }, key: "k")
        },
        InvalidOrdersRequest("unknown line", .notFound, "lines[0].line_id: no line on order") { client, setup in
            _ = try await client.call(
                OrdersMethods.reserveRefund,
                .with {
                    $0.caseID = "case_new"; $0.orderID = setup.paid.orderID; $0.amount = .init(100, "CNY")
                    $0.lines = [.with { $0.lineID = "oln_missing"; $0.quantity = 1 }]
                }, key: "k")
        },
        InvalidOrdersRequest("zero quantity", .invalidArgument, "lines[0].quantity: must be positive, got 0", create { $0.lines[0].quantity = 0 }),
        InvalidOrdersRequest("negative stock", .invalidArgument, "quantity: must be 0 to") { client, _ in
            _ = try await client.call(OrdersMethods.setStock, .with { $0.sku = "cup-blue"; $0.quantity = -1 })
        },
        InvalidOrdersRequest("zero restock", .invalidArgument, "quantity: must be positive, got 0") { client, _ in
            _ = try await client.call(OrdersMethods.restock, .with { $0.sku = "cup-blue"; $0.caseID = "case_1" })
        },
        InvalidOrdersRequest("a currency ISO 4217 does not list", .invalidArgument, "currency: \"ZZZ\" is not an ISO 4217 currency code", create {
            $0.currency = "ZZZ"
        }),
        InvalidOrdersRequest("the no-currency code", .invalidArgument, "currency: \"XXX\" is not an ISO 4217 currency code", create { $0.currency = "XXX" }),
        InvalidOrdersRequest("mixed currencies in an order", .invalidArgument, "lines[1].unit_price.currency: currency USD differs from CNY", create {
            $0.lines[1].unitPrice.currency = "USD"
        }),
        InvalidOrdersRequest("reservation in another currency", .invalidArgument, "amount.currency: currency USD differs from CNY") { client, setup in
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_new"; $0.orderID = setup.paid.orderID; $0.amount = .init(100, "USD") },
                key: "k")
        },
        InvalidOrdersRequest("amount over refundable", .failedPrecondition, "refundable 80.00 CNY, requested 90.00 CNY") { client, setup in
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_new"; $0.orderID = setup.paid.orderID; $0.amount = .init(9_000, "CNY") },
                key: "k")
        },
        InvalidOrdersRequest("line units over available", .failedPrecondition, "available 2 of 2 (refunded 0, reserved 0), requested 3") {
            client, setup in
            _ = try await client.call(
                OrdersMethods.reserveRefund,
                .with {
                    $0.caseID = "case_new"; $0.orderID = setup.paid.orderID; $0.amount = .init(100, "CNY")
                    $0.lines = [.with { $0.lineID = setup.paid.lines[0].lineID; $0.quantity = 3 }]
                }, key: "k")
        },
        InvalidOrdersRequest("commit over the reservation", .failedPrecondition, "case case_open: reserved 20.00 CNY, refunded 30.00 CNY") {
            client, _ in
            _ = try await client.call(
                OrdersMethods.commitRefund, .with { $0.caseID = "case_open"; $0.refundedAmount = .init(3_000, "CNY") }, key: "k")
        },
        InvalidOrdersRequest("line amounts on some lines only", .invalidArgument, "lines[1].refunded: give refunded on every line or on none") {
            client, setup in
            _ = try await client.call(
                OrdersMethods.commitRefund,
                .with {
                    $0.caseID = "case_open"; $0.refundedAmount = .init(2_000, "CNY")
                    $0.lines = [
                        .with { $0.lineID = setup.paid.lines[0].lineID; $0.refundedQuantity = 1; $0.refunded = .init(1_000, "CNY") },
                        .with { $0.lineID = setup.paid.lines[1].lineID; $0.refundedQuantity = 1 },
                    ]
                }, key: "k")
        },
        InvalidOrdersRequest("restock of units this commit does not return", .failedPrecondition, "restock[0]: line") { client, setup in
            _ = try await client.call(
                OrdersMethods.commitRefund,
                .with {
                    $0.caseID = "case_open"; $0.refundedAmount = .init(2_000, "CNY")
                    $0.lines = [.with { $0.lineID = setup.paid.lines[0].lineID; $0.refundedQuantity = 1 }]
                    $0.restock = [.with { $0.lineID = setup.paid.lines[0].lineID; $0.quantity = 1 }]
                }, key: "k")
        },
        InvalidOrdersRequest("paid again with another amount", .failedPrecondition, "was paid 100.00 CNY by payment pay_1, not 90.00 CNY") {
            client, setup in
            _ = try await client.call(
                OrdersMethods.markPaid, .with { $0.orderID = setup.paid.orderID; $0.paymentID = "pay_1"; $0.amount = .init(9_000, "CNY") })
        },
        InvalidOrdersRequest("replacement out of stock", .failedPrecondition, "stock of cup-blue: 1 available, requested 2") { client, setup in
            _ = try await client.call(
                OrdersMethods.reserveReplacement,
                .with {
                    $0.caseID = "case_new"; $0.orderID = setup.paid.orderID; $0.lineID = setup.paid.lines[0].lineID
                    $0.replacementSku = "cup-blue"; $0.quantity = 2
                }, key: "k")
        },
        InvalidOrdersRequest("reservation on an unpaid order", .failedPrecondition, "is created; only a paid order") { client, setup in
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_new"; $0.orderID = setup.created.orderID; $0.amount = .init(100, "CNY") },
                key: "k")
        },
        InvalidOrdersRequest("second reservation for a case", .failedPrecondition, "case case_open already holds an open amount reservation") {
            client, setup in
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_open"; $0.orderID = setup.paid.orderID; $0.amount = .init(100, "CNY") },
                key: "other")
        },
        InvalidOrdersRequest("illegal transition: complete a paid order", .failedPrecondition, "is paid; it must be delivered before") {
            client, setup in
            _ = try await client.call(OrdersMethods.completeOrder, .with { $0.orderID = setup.paid.orderID })
        },
        InvalidOrdersRequest("illegal transition: ship a created order", .failedPrecondition, "is created; it must be paid before") {
            client, setup in
            _ = try await client.call(OrdersMethods.markShipped, .with { $0.orderID = setup.created.orderID })
        },
        InvalidOrdersRequest("cancel with an open reservation", .failedPrecondition, "open reservation for case case_open") { client, setup in
            _ = try await client.call(OrdersMethods.requestCancellation, .with { $0.orderID = setup.paid.orderID })
        },
        InvalidOrdersRequest("payment short of the total", .invalidArgument, "amount: 99.00 CNY differs from the total") { client, setup in
            _ = try await client.call(
                OrdersMethods.markPaid, .with { $0.orderID = setup.created.orderID; $0.paymentID = "pay_9"; $0.amount = .init(9_900, "CNY") })
        },
        InvalidOrdersRequest("empty buyer", .invalidArgument, "buyer_id: required", create { $0.buyerID = "" }),
        InvalidOrdersRequest("empty payment id", .invalidArgument, "payment_id: required") { client, setup in
            _ = try await client.call(OrdersMethods.markPaid, .with { $0.orderID = setup.created.orderID; $0.amount = .init(10_000, "CNY") })
        },
        InvalidOrdersRequest("oversized seller", .invalidArgument, "seller_id: at most 256 bytes, got 300", create {
            $0.sellerID = String(repeating: "s", count: 300)
        }),
        InvalidOrdersRequest("overflowing total", .invalidArgument, "lines[1]: quantity × unit price overflows", create {
            $0.lines[1].quantity = 1_000_000
            $0.lines[1].unitPrice.amountMinor = .max / 1_000
        }),
        InvalidOrdersRequest("no idempotency key", .invalidArgument, "idempotency_key: required") { client, setup in
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_new"; $0.orderID = setup.paid.orderID; $0.amount = .init(100, "CNY") })
        },
        InvalidOrdersRequest("line given twice", .invalidArgument, "lines[1].line_id: line") { client, setup in
            let line = setup.paid.lines[0].lineID
            _ = try await client.call(
                OrdersMethods.reserveRefund,
                .with {
                    $0.caseID = "case_new"; $0.orderID = setup.paid.orderID; $0.amount = .init(100, "CNY")
                    $0.lines = [.with { $0.lineID = line; $0.quantity = 1 }, .with { $0.lineID = line; $0.quantity = 1 }]
                }, key: "k")
        },
        InvalidOrdersRequest("both buyer and seller", .invalidArgument, "seller_id: give buyer_id or seller_id, not both") { client, _ in
            _ = try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = "b_1"; $0.sellerID = "s_1" })
        },
        InvalidOrdersRequest("page too large", .invalidArgument, "page_size: at most 200, got 500") { client, _ in
            _ = try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = "b_1"; $0.pageSize = 500 })
        },
        InvalidOrdersRequest("foreign page token", .invalidArgument, "page_token: not a page token of ListOrders") { client, _ in
            _ = try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = "b_1"; $0.pageToken = "x" })
        },
        InvalidOrdersRequest("unspecified status filter", .invalidArgument, "statuses[0]: unknown order status 0") { client, _ in
            _ = try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = "b_1"; $0.statuses = [.unspecified] })
        },
        InvalidOrdersRequest("totals without a party", .invalidArgument, "party_id: required") { client, _ in
            _ = try await client.call(OrdersMethods.getTotals, .with { $0.partyKind = .seller; $0.toUnixMicros = 5 })
        },
        InvalidOrdersRequest("empty period", .invalidArgument, "to_unix_micros: must be after") { client, _ in
            _ = try await client.call(OrdersMethods.getTotals, .with { $0.partyKind = .platform; $0.fromUnixMicros = 5; $0.toUnixMicros = 5 })
        },
    ]

    @Test(arguments: Self.cases)
    func refusedAndNothingChanged(_ invalid: InvalidOrdersRequest) async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { client in
            let setup = try await InvalidRequestSetup.make(client)
            let problems = try await invalid.problems(client, setup) { try await fixture.dump() }
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
