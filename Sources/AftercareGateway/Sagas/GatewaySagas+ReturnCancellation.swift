import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareLogisticsAPI
import AftercareSagas

extension GatewaySagas {
    /// **Return cancellation** — a case enters `RETURN_CANCELLING` (the buyer withdrew, or the
    /// ship-by timer fired): (1) logistics cancel the return shipment (label, or the buyer's
    /// registered tracking) — refused once the carrier has reported a pick-up → (2) **pivot**:
    /// orders release the reservation → (3) aftersales record the case closed. On compensated:
    /// aftersales record "already picked up" (back to in transit).
    ///
    /// A cancelled shipment cannot be restored: logistics refuses the compensation of (1), so a
    /// refused release (2) leaves the saga stuck for an operator, never with the parcel half-undone.
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
                .compensable("cancel_return_shipment", cancel, compensation: cancel, retry: configuration.retry),
                .pivot("release_reservation", Self.releaseReservation, retry: configuration.untilDone),
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
