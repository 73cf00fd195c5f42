import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareSagas

/// The calls several sagas share.
extension GatewaySagas {
    /// Orders reserve the case's amount (with its lines' quantities) on its order — or, with
    /// `adjustingHeld`, adjust the amount the case already holds there (its Return setup's) in the
    /// same call; the answer names the order's payment. Its compensation, the same call, releases
    /// or restores: orders know from the answer they stored which one the forward call did.
    static func reserveRefund(adjustingHeld: Bool = false) -> SagaAction {
        .unary(
            OrdersMethods.reserveRefund, on: Participant.orders,
            request: { values in
                let lines = try values.lines()
                return try .with {
                    $0.caseID = try values.require(SagaKey.caseID)
                    $0.orderID = try values.require(SagaKey.orderID)
                    $0.amount = try values.amount()
                    $0.lines = lines.map { line in .with { $0.lineID = line.lineID; $0.quantity = line.quantity } }
                    $0.adjustHeld = adjustingHeld
                }
            },
            output: { response, values in values[SagaKey.paymentID] = response.order.paymentID })
    }

    /// Orders take the exchange's replacement from stock: the case's one line, every unit of it.
    static var reserveReplacement: SagaAction {
        .unary(
            OrdersMethods.reserveReplacement, on: Participant.orders,
            request: { values in
                guard let line = try values.lines().first else { throw CaseSagaStarterError("the case has no line to exchange") }
                return try .with {
                    $0.caseID = try values.require(SagaKey.caseID)
                    $0.orderID = try values.require(SagaKey.orderID)
                    $0.lineID = line.lineID
                    $0.replacementSku = try values.require(SagaKey.replacementSKU)
                    $0.quantity = line.quantity
                }
            })
    }

    /// Orders release the case's reservation.
    static var releaseReservation: SagaAction {
        .unary(
            OrdersMethods.releaseReservation, on: Participant.orders,
            request: { values in try .with { $0.caseID = try values.require(SagaKey.caseID) } })
    }

    /// Logistics create a shipment of `kind` for the case: a return with a generated label, or one
    /// the seller sends under the saga's tracking number. Its id, carrier and number go in the values.
    static func createShipment(_ kind: Aftercare_Logistics_V1_ShipmentKind) -> SagaAction {
        .unary(
            LogisticsMethods.createShipment, on: Participant.logistics,
            request: { values in
                try .with {
                    $0.kind = kind
                    $0.orderID = try values.require(SagaKey.orderID)
                    $0.caseID = try values.require(SagaKey.caseID)
                    $0.carrier = try values.require(SagaKey.carrier)
                    $0.trackingNumber = kind == .return ? "" : try values.require(SagaKey.trackingNumber)
                    $0.buyerID = try values.require(SagaKey.buyerID)
                    $0.sellerID = try values.require(SagaKey.sellerID)
                }
            },
            output: { shipment, values in
                values[SagaKey.shipmentID] = shipment.shipmentID
                values[SagaKey.shipmentCarrier] = shipment.carrier
                values[SagaKey.shipmentTrackingNumber] = shipment.trackingNumber
            })
    }

    /// Aftersales record the shipment a step created (`method`: awaiting return, replacement
    /// shipped, back-to-buyer tracking).
    static func recordShipment(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_RecordShipmentRequest, Aftercare_Aftersales_V1_CaseResponse>
    ) -> SagaAction {
        .unary(
            method, on: Participant.aftersales,
            request: { values in
                try .with {
                    $0.caseID = try values.require(SagaKey.caseID)
                    $0.shipment = try .with {
                        $0.shipmentID = try values.require(SagaKey.shipmentID)
                        $0.carrier = try values.require(SagaKey.shipmentCarrier)
                        $0.trackingNumber = try values.require(SagaKey.shipmentTrackingNumber)
                    }
                }
            })
    }

    /// Aftersales record an outcome with `reason` (from the values).
    static func recordOutcome(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>,
        reason: @escaping @Sendable (SagaValues) -> String
    ) -> SagaAction {
        .unary(
            method, on: Participant.aftersales,
            request: { values in
                try .with {
                    $0.caseID = try values.require(SagaKey.caseID)
                    $0.reason = Self.clipped(reason(values), maxBytes: 1_024)
                }
            })
    }

    /// `text`, cut at a character boundary to at most `maxBytes` of UTF-8 (the services' limit on
    /// a note).
    static func clipped(_ text: String, maxBytes: Int) -> String {
        var bytes = 0
        var kept = ""
        for character in text {
            bytes += character.utf8.count
            guard bytes <= maxBytes else { break }
            kept.append(character)
        }
        return kept
    }
}
