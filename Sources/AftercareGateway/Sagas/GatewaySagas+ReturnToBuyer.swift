import AftercareLogisticsAPI
import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareSagas

extension GatewaySagas {
    /// **Return to buyer** — a case enters `RETURNING_TO_BUYER` (the seller won a dispute over
    /// goods it holds): (1) **pivot**: logistics create the back-to-buyer shipment, retried until
    /// done → (2) orders release the reservation → (3) aftersales record the tracking number.
    static func returnToBuyer(_ configuration: Configuration) -> SagaDefinition {
        Self.definition(
            Name.returnToBuyer, configuration,
            steps: [
                .pivot("create_back_to_buyer_shipment", Self.createShipment(.backToBuyer), retry: configuration.untilDone),
                .forward("release_reservation", Self.releaseReservation, retry: configuration.untilDone),
                .forward(
                    "record_back_to_buyer_shipment", Self.recordShipment(AftersalesMethods.recordReturnToBuyerShipment),
                    retry: configuration.untilDone),
            ])
    }
}
