import AftercareLogisticsAPI
import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareSagas

extension GatewaySagas {
    /// **Return setup** — a return-and-refund or exchange case enters `APPROVED`:
    /// (1) orders reserve the refund amount, or the replacement stock — compensation: release; the
    /// only step that can be refused → (2) **pivot**: logistics create the return shipment with its
    /// label, retried until done → (3) aftersales record "awaiting return" with the label.
    /// On compensated: aftersales record why — nothing refundable (closed rejected) or replacement
    /// out of stock (conversion offered).
    static func returnSetup(_ configuration: Configuration) -> SagaDefinition {
        let reserve = SagaAction.choosing({ $0.isExchange }, Self.reserveReplacement, else: Self.reserveRefund())
        return Self.definition(
            Name.returnSetup, configuration,
            steps: [
                .compensable("reserve", reserve, compensation: reserve, retry: configuration.retry),
                .pivot("create_return_shipment", Self.createShipment(.return), retry: configuration.untilDone),
                .forward("record_awaiting_return", Self.recordShipment(AftersalesMethods.recordAwaitingReturn), retry: configuration.untilDone),
            ],
            onCompensated: .forward(
                "record_not_set_up",
                .choosing(
                    { $0.isExchange },
                    Self.recordOutcome(AftersalesMethods.recordReplacementOutOfStock) { $0.turnedBackBecause },
                    else: Self.recordOutcome(AftersalesMethods.recordNothingRefundable) { $0.turnedBackBecause }),
                retry: configuration.untilDone))
    }
}
