import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareRPC
import SwiftProtobuf

/// The records the request catalogue acts on, made through the public API, and the text each
/// `{placeholder}` of a catalogue line stands for.
struct BadInputFixtures: Sendable {
    let values: [String: String]

    /// Orders in every state a case needs (created, paid, shipped, delivered), a return awaiting
    /// its parcel, a refunded case with its completed Refund saga, an eligible review, a seller's SKU.
    static func make(_ world: GatewayWorld) async throws -> BadInputFixtures {
        var values: [String: String] = ["buyer": GatewayWorld.buyer, "seller": GatewayWorld.seller, "sku": "sku_bi_stock"]
        let created = try await world.buyer().call(
            GatewayMethods.createOrder, GatewayWorld.orderRequest([("sku_bi_c", 1, 3_000)], shippingFee: 0), key: "bi-created").order
        values["created"] = created.orderID
        values["createdLine"] = created.lines[0].lineID

        let paid = try await world.paidOrder([("sku_bi_p", 2, 5_000)])
        values["paid"] = paid.orderID
        values["paidLine"] = paid.lines[0].lineID

        let toShip = try await world.paidOrder([("sku_bi_s", 1, 4_000)])
        let shipped = try await world.seller().call(
            GatewayMethods.shipOrder, .with { $0.orderID = toShip.orderID; $0.carrier = "sf_express"; $0.trackingNumber = "SFBADIN0001" })
        values["shipped"] = toShip.orderID
        values["shipment"] = shipped.shipment.shipmentID

        let delivered = try await world.deliveredOrder([("sku_bi_d", 1, 8_000)], tracking: "SFBADIN0002")
        values["delivered"] = delivered.orderID
        values["deliveredLine"] = delivered.lines[0].lineID
        let view = try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = delivered.orderID }, key: nil)
        values["deliveredShipment"] = view.shipments.first { $0.kind == .outbound }?.shipmentID ?? "missing"
        let review = try await world.buyer().call(
            GatewayMethods.getReview, .with { $0.orderID = delivered.orderID; $0.lineID = delivered.lines[0].lineID }, key: nil)
        values["review"] = review.reviewID

        let awaitingID = try await world.apply(.returnAndRefund, delivered).record.caseID
        let awaiting = try await world.caseView(awaitingID, while: ["APPROVED"]).record
        guard awaiting.state == "AWAITING_RETURN_SHIPMENT" else { throw BadInputError("case \(awaitingID) is \(awaiting.state)") }
        values["awaiting"] = awaitingID
        values["awaitingV"] = "\(awaiting.version)"
        values["returnShipment"] = awaiting.returnShipment.shipmentID

        let toRefund = try await world.paidOrder([("sku_bi_r", 1, 6_000)])
        values["refundedOrder"] = toRefund.orderID
        values["refundedLine"] = toRefund.lines[0].lineID
        let refundedID = try await world.buyer().call(
            GatewayMethods.apply, GatewayWorld.application(.refundOnly, toRefund, reason: .other, replacementSKU: ""), key: "bi-apply-refunded"
        ).record.caseID
        let refunded = try await world.caseView(refundedID, while: ["APPROVED", "REFUNDING"])
        guard refunded.record.state == "REFUNDED", let saga = refunded.sagas.first else {
            throw BadInputError("case \(refundedID) is \(refunded.record.state) with sagas \(refunded.sagas.map(\.state))")
        }
        values["refunded"] = refundedID
        values["refundedV"] = "\(refunded.record.version)"
        values["saga"] = saga.sagaID
        values["trace"] = saga.traceID

        _ = try await world.seller().call(GatewayMethods.setStock, .with { $0.sku = "sku_bi_stock"; $0.quantity = 5 }, key: nil)

        // Pieces of requests.
        values["sha"] = String(repeating: "ab", count: 32)
        values["cny"] = #"{"amount_minor": "1000", "currency": "CNY"}"#
        values["newLine"] = #"{"sku": "sku_bi_n", "title": "item", "category": "apparel", "quantity": "1", "unit_price": {"amount_minor": "1000", "currency": "CNY"}}"#
        values["photo"] = #"{"kind": "PHOTO", "uri": "https://evidence.example/a.jpg", "sha256": "\#(String(repeating: "ab", count: 32))"}"#
        values["evidence21"] = "[" + Array(repeating: values["photo"]!, count: 21).joined(separator: ", ") + "]"
        values["positions1001"] = "[" + (1...1_001).map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        return BadInputFixtures(values: values)
    }

    /// `json` with every `{name}` replaced: a fixture's value, or `{x300}` for 300 "x"s.
    func expand(_ json: String) throws -> String {
        var out = ""
        var rest = Substring(json)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}"), after[..<close].allSatisfy({ $0.isLetter || $0.isNumber }), !after[..<close].isEmpty else {
                out.append("{")
                rest = after
                continue
            }
            let name = String(after[..<close])
            if name.first == "x", let count = Int(name.dropFirst()) {
                out += String(repeating: "x", count: count)
            } else if let value = self.values[name] {
                out += value
            } else {
                throw BadInputError("no fixture {\(name)}")
            }
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }
}
