import SwiftProtobuf
import AftercareOrdersAPI
import AftercareSagas

extension GatewaySagas {
    /// **Order cancellation** — a paid order enters `CANCELLING` (the buyer, the seller or the
    /// platform cancelled it before it shipped; orders' `RequestCancellation` is the intent,
    /// written before any money moves): (1) **pivot**: payments refund what is left of the
    /// payment (shipping included), under the saga's step key → (2) orders finish the
    /// cancellation with that refund (CANCELLED). On compensated (the refund refused — a
    /// provider's definitive decline): orders abandon the cancellation (PAID again).
    static func orderCancellation(_ configuration: Configuration) -> SagaDefinition {
        let refund = Self.providerRefund { "order \(try $0.require(SagaKey.orderID)) cancelled" }
        let finish = SagaAction.unary(
            OrdersMethods.finishCancellation, on: Participant.orders,
            request: { values in
                try .with {
                    $0.orderID = try values.require(SagaKey.orderID)
                    $0.refundID = try values.require(SagaKey.refundID)
                    $0.refunded = try values.refunded()
                }
            })
        let abandon = SagaAction.unary(
            OrdersMethods.abandonCancellation, on: Participant.orders,
            request: { values in
                .with {
                    $0.orderID = values[SagaKey.orderID] ?? ""
                    $0.reason = String(values.turnedBackBecause.utf8.prefix(256)) ?? "the refund was refused"
                }
            })
        return Self.definition(
            Name.orderCancellation, configuration,
            steps: [
                .pivot("refund", refund, retry: configuration.untilDone),
                .forward("finish_cancellation", finish, retry: configuration.untilDone),
            ],
            onCompensated: .forward("abandon_cancellation", abandon, retry: configuration.untilDone))
    }
}
