@testable import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import SwiftProtobuf
import Testing

@Suite("order rules")
struct OrderRulesTests {
    typealias Status = Aftercare_Orders_V1_OrderStatus

    @Test(arguments: [
        (OrderTransition.pay, Status.created, OrderTransition.Decision.apply),
        (.ship, .paid, .apply),
        (.deliver, .shipped, .apply),
        (.complete, .delivered, .apply),
        (.cancel, .created, .apply),
        (.requestCancellation, .paid, .apply),
        (.finishCancellation, .cancelling, .apply),
        (.abandonCancellation, .cancelling, .apply),
        (.requestCancellation, .cancelling, .alreadyDone),
        (.finishCancellation, .cancelled, .alreadyDone),
        (.abandonCancellation, .paid, .alreadyDone),
        (.pay, .paid, .alreadyDone),
        (.pay, .completed, .alreadyDone),
        (.ship, .delivered, .alreadyDone),
        (.cancel, .cancelled, .alreadyDone),
        (.ship, .created, .refuse("order ord_1 is created; it must be paid before it can be shipped")),
        (.complete, .paid, .refuse("order ord_1 is paid; it must be delivered before it can be completed")),
        (.cancel, .shipped, .refuse("order ord_1 is shipped; only a created order can be cancelled at once")),
        (.cancel, .paid, .refuse("order ord_1 is paid; a paid order is cancelled through RequestCancellation, which refunds its payment")),
        (.requestCancellation, .shipped, .refuse("order ord_1 is shipped; only a paid order, not yet shipped, can be cancelled and refunded")),
        (.finishCancellation, .paid, .refuse("order ord_1 is paid, not cancelling")),
        (.ship, .cancelling, .refuse("order ord_1 is cancelling; it cannot be marked shipped")),
        (.deliver, .cancelled, .refuse("order ord_1 is cancelled; it cannot be marked delivered")),
    ])
    func lifecycle(transition: OrderTransition, from: Status, expected: OrderTransition.Decision) {
        #expect(transition.decide(from: from, orderID: "ord_1") == expected)
    }

    @Test func statusNamesRoundTrip() {
        for status in Status.allCases where status != .unspecified {
            #expect(Status(name: status.name) == status)
        }
        #expect(Status(name: "unspecified") == nil)
    }

    @Test func refundableIsPaidLessRefundedLessReservedNeverNegative() {
        let book = RefundBook(currency: "CNY", paidMinor: 10_000, refundedMinor: 3_000, reservedMinor: 4_000)
        #expect(book.refundableMinor == 3_000)
        #expect(RefundBook(currency: "CNY", paidMinor: 1_000, refundedMinor: 900, reservedMinor: 500).refundableMinor == 0)
        #expect(RefundBook(currency: "CNY", paidMinor: 0, refundedMinor: 0, reservedMinor: 0).refundableMinor == 0)
        #expect(book.without(reservation: 4_000).refundableMinor == 7_000)
    }

    @Test func reservationBeyondRefundableNamesBothFigures() throws {
        let book = RefundBook(currency: "CNY", paidMinor: 10_000, refundedMinor: 7_000, reservedMinor: 0)
        try book.checkReservation(3_000, orderID: "ord_1")
        let error = #expect(throws: RPCError.self) { try book.checkReservation(5_000, orderID: "ord_1") }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.message == "order ord_1: refundable 30.00 CNY, requested 50.00 CNY")
    }

    @Test func lineUnitsAvailable() throws {
        let units = LineUnits(quantity: 3, refunded: 1, reserved: 1)
        #expect(units.available == 1)
        try units.checkReservation(1, lineID: "oln_1")
        let error = #expect(throws: RPCError.self) { try units.checkReservation(2, lineID: "oln_1") }
        #expect(error?.message == "line oln_1: available 1 of 3 (refunded 1, reserved 1), requested 2")
    }

    @Test func draftComputesTotalAndRejectsOverflow() throws {
        var request = Aftercare_Orders_V1_CreateOrderRequest()
        request.buyerID = "b_1"
        request.sellerID = "s_1"
        request.currency = "CNY"
        request.promisedDeliveryUnixMicros = 1
        request.shippingFee = .init(1_000, "CNY")
        request.lines = [
            .with { $0.sku = "sku-a"; $0.title = "Tea"; $0.category = "food"; $0.quantity = 2; $0.unitPrice = .init(2_500, "CNY") },
            .with { $0.sku = "sku-b"; $0.title = "Cup"; $0.category = "home"; $0.quantity = 1; $0.unitPrice = .init(4_000, "CNY") },
        ]
        #expect(try OrderDraft(request).totalMinor == 10_000)
        request.lines[1].quantity = 1_000_000
        request.lines[1].unitPrice.amountMinor = .max / 2
        let error = #expect(throws: RPCError.self) { try OrderDraft(request) }
        #expect(error?.message == "lines[1]: quantity × unit price overflows")
    }

    typealias Claim = RefundSplit.Claim

    static let splits: [(amount: Int64, claims: [Claim], expected: [Int64])] = [
        // In proportion; the cent left by rounding goes to the earliest line.
        (5_000, [Claim(valueMinor: 2_500, unrefundedMinor: 5_000), Claim(valueMinor: 4_000, unrefundedMinor: 4_000)], [1_924, 3_076]),
        // More than the claims: each line gets its claim, the rest stays on the order.
        (10_000, [Claim(valueMinor: 5_000, unrefundedMinor: 5_000), Claim(valueMinor: 4_000, unrefundedMinor: 4_000)], [5_000, 4_000]),
        // A line with little left unrefunded takes no more than that.
        (3_000, [Claim(valueMinor: 2_500, unrefundedMinor: 500), Claim(valueMinor: 2_500, unrefundedMinor: 2_500)], [500, 2_500]),
        // No refunded units: nothing on the lines.
        (3_000, [Claim(valueMinor: 0, unrefundedMinor: 5_000)], [0]),
        // Claims whose sum overflows Int64 still split exactly.
        (Int64.max, [Claim(valueMinor: .max, unrefundedMinor: .max), Claim(valueMinor: .max, unrefundedMinor: .max)], [.max / 2 + 1, .max / 2]),
    ]

    @Test(arguments: Self.splits)
    func refundSplit(amount: Int64, claims: [Claim], expected: [Int64]) {
        let shares = RefundSplit.split(amount, over: claims)
        #expect(shares == expected)
        #expect(shares.reduce(0, +) <= amount)
    }
}
