import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareLogisticsAPI
import AftercareSagas

extension GatewaySagas {
    /// **Return cancellation** — a case enters `RETURN_CANCELLING` (the buyer withdrew, or the
    /// ship-by timer fired): (1) **pivot**: logistics cancel the return shipment (label, or the
    /// buyer's registered tracking) — refused once the carrier has reported a pick-up → (2) orders
    /// release the reservation → (3) aftersales record the case closed. On compensated (the pivot
    /// refused): aftersales record "already picked up" (back to in transit).
    ///
    /// A cancelled shipment cannot be restored, so the cancellation is the point of no return and
    /// nothing comes before it: a refused release (2) waits for an operator's retry, which finishes
    /// the saga, instead of a compensation logistics must refuse.
    static func returnCancellation(_ configuration: Configuration) -> SagaDefinition {
        let cancel = SagaAction.unary(
            LogisticsMethods.cancelShipment, on: Participant.logistics,
            request: { values in
                try .with {
                    $0.shipmentID = try values.require(SagaKey.returnShipmentID)
                    $0.reason = "case \(try values.require(SagaKey.caseID)): return cancelled (\(values[SagaKey.cancellation] ?? ""))"
                }
            })
        return Self.definition(
            Name.returnCancellation, configuration,
            steps: [
                .pivot("cancel_return_shipment", cancel, retry: configuration.retry),
                .forward("release_reservation", Self.releaseReservation, retry: configuration.untilDone),
                .forward(
                    "record_return_cancelled",
                    Self.recordOutcome(AftersalesMethods.recordReturnCancelled) { values in values[SagaKey.cancellation] ?? "" },
                    retry: configuration.untilDone),
            ],
            onCompensated: .forward(
                "record_already_picked_up", Self.recordOutcome(AftersalesMethods.recordAlreadyPickedUp) { $0.turnedBackBecause },
                retry: configuration.untilDone))
    }
}
