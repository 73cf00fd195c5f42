import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareSagas

extension GatewaySagas {
    /// **Carrier progress** — a logistics event on a case's return, replacement or back-to-buyer
    /// shipment: (1) **pivot**: aftersales record the carrier event. Aftersales decides whether it
    /// moves the case (a pick-up, delivery or loss its state has a transition for) or is kept in
    /// the history only; it never refuses one for the case's state.
    static func carrierProgress(_ configuration: Configuration) -> SagaDefinition {
        let record = SagaAction.unary(
            AftersalesMethods.recordCarrierEvent, on: Participant.aftersales,
            request: { values in
                try .with {
                    $0.caseID = try values.require(SagaKey.caseID)
                    $0.shipmentKind = try values.require(SagaKey.shipmentKind)
                    $0.shipmentID = try values.require(SagaKey.shipmentID)
                    $0.carrierEventID = try values.require(SagaKey.carrierEventID)
                    $0.event = try values.require(SagaKey.carrierEvent)
                    $0.occurredAtUnixMicros = try values.int64(SagaKey.occurredAtMicros)
                    $0.description_p = Self.clipped(values[SagaKey.description] ?? "", maxBytes: 1_024)
                }
            })
        return Self.definition(
            Name.carrierProgress, configuration, steps: [.pivot("record_carrier_event", record, retry: configuration.untilDone)])
    }
}
