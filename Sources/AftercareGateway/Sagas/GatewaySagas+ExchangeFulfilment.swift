import AftercareLogisticsAPI
import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareOrdersAPI
import AftercareSagas

extension GatewaySagas {
    /// **Exchange fulfilment** — an exchange case enters `RETURN_ACCEPTED`: (1) orders reserve
    /// the replacement stock, or take over the reservation the case holds (Return setup made it) —
    /// compensation: release → (2) **pivot**: orders
    /// commit the exchange (stock and order line; the returned item restocked if accepted in good
    /// condition) → (3) logistics create the replacement shipment, retried until done → (4)
    /// aftersales record "replacement shipped". On compensated (out of stock): aftersales record
    /// "conversion offered".
    ///
    /// Compensated, the case leaves for CONVERSION_OFFERED, which holds no reservation: the one it
    /// held is released whoever made it (before, a held reservation was only read, its
    /// compensation found nothing of this saga's, and the stock stayed reserved).
    static func exchangeFulfilment(_ configuration: Configuration) -> SagaDefinition {
        let commit = SagaAction.unary(
            OrdersMethods.commitExchange, on: Participant.orders,
            request: { values in
                try .with {
                    $0.caseID = try values.require(SagaKey.caseID)
                    $0.restockReturned = try values.lines().allSatisfy(\.allReceivedOK)
                }
            })
        return Self.definition(
            Name.exchangeFulfilment, configuration,
            steps: [
                .compensable("reserve_replacement", Self.reserveReplacement, compensation: Self.reserveReplacement, retry: configuration.retry),
                .pivot("commit_exchange", commit, retry: configuration.untilDone),
                .forward("create_replacement_shipment", Self.createShipment(.replacement), retry: configuration.untilDone),
                .forward(
                    "record_replacement_shipped", Self.recordShipment(AftersalesMethods.recordReplacementShipped),
                    retry: configuration.untilDone),
            ],
            onCompensated: .forward(
                "record_exchange_out_of_stock", Self.recordOutcome(AftersalesMethods.recordExchangeOutOfStock) { $0.turnedBackBecause },
                retry: configuration.untilDone))
    }
}
