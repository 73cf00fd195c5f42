import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit

/// Checks of aftersales' requests: each wrong field is INVALID_ARGUMENT naming it, before anything
/// is read or written.
enum AftersalesRequestCheck {
    /// The most units an order line holds (orders' limit): what keeps ``InspectedAmount``'s sums in range.
    static let maxQuantity: Int64 = 1_000_000

    static func openCase(_ request: Aftercare_Aftersales_V1_OpenCaseRequest) throws -> Application {
        guard let kind = CaseKind(request.kind) else { throw RPCError.invalidField("kind", "required: refund_only, return_and_refund or exchange") }
        guard let reason = CaseReason(request.reason) else { throw RPCError.invalidField("reason", "required") }
        try RequestCheck.required(request.orderID, "order_id")
        try RequestCheck.required(request.buyerID, "buyer_id")
        try RequestCheck.required(request.sellerID, "seller_id")
        try RequestCheck.optional(request.description_p, "description", maxLength: AftersalesLimits.description)
        try RequestCheck.money(request.requested, "requested")
        let currency = request.requested.currency
        guard !request.lines.isEmpty, request.lines.count <= AftersalesLimits.lines else {
            throw RPCError.invalidField("lines", "1 to \(AftersalesLimits.lines) lines, got \(request.lines.count)")
        }
        var seen: Set<String> = []
        for (index, line) in request.lines.enumerated() {
            let field = "lines[\(index)]"
            try RequestCheck.required(line.lineID, "\(field).line_id")
            guard seen.insert(line.lineID).inserted else { throw RPCError.invalidField("\(field).line_id", "line \(line.lineID) is named twice") }
            try RequestCheck.optional(line.sku, "\(field).sku")
            try RequestCheck.optional(line.category, "\(field).category")
            try RequestCheck.positive(line.quantity, "\(field).quantity")
            guard line.quantity <= Self.maxQuantity else {
                throw RPCError.invalidField("\(field).quantity", "at most \(Self.maxQuantity), got \(line.quantity)")
            }
            try RequestCheck.money(line.unitPrice, "\(field).unit_price", allowZero: true)
            try RequestCheck.sameCurrency(line.unitPrice.currency, currency, "\(field).unit_price.currency")
        }
        if kind == .exchange {
            guard request.lines.count == 1 else { throw RPCError.invalidField("lines", "an exchange is for exactly one order line") }
            try RequestCheck.required(request.replacementSku, "replacement_sku")
        } else {
            guard request.replacementSku.isEmpty else { throw RPCError.invalidField("replacement_sku", "only an exchange has one") }
        }
        let evidence = try Self.evidence(request.evidence, "evidence", minimum: 0)
        let facts = try Self.facts(request.facts, currency: currency)
        return Application(
            kind: kind, orderID: request.orderID, buyerID: request.buyerID, sellerID: request.sellerID, reason: reason,
            description: request.description_p, lines: request.lines.map(CaseLineRecord.init), requested: Amount(request.requested),
            replacementSKU: request.replacementSku, evidence: evidence, order: facts)
    }

    /// The order facts of an application, or of a review again.
    struct OrderFacts {
        var orderStatus: ApplicationFacts.OrderStatus
        var deliveredAtMicros: Int64?
        var promisedDeliveryMicros: Int64?
        var completedAtMicros: Int64?
        var paid: Amount
        var refundable: Amount
        var buyer: ApplicationFacts.BuyerTotals

        /// Puts these order facts into `facts` (a review again with fresh facts).
        func apply(to facts: inout ApplicationFacts) {
            facts.orderStatus = self.orderStatus
            facts.deliveredAtMicros = self.deliveredAtMicros
            facts.promisedDeliveryMicros = self.promisedDeliveryMicros
            facts.completedAtMicros = self.completedAtMicros
            facts.paid = self.paid
            facts.refundable = self.refundable
            facts.buyer = self.buyer
        }
    }

    static func facts(_ facts: Aftercare_Aftersales_V1_ApplicationFacts, currency: String, field: String = "facts") throws -> OrderFacts {
        guard let status = ApplicationFacts.OrderStatus(rawValue: facts.orderStatus) else {
            throw RPCError.invalidField(
                "\(field).order_status", "one of \(ApplicationFacts.OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard facts.deliveredAtUnixMicros >= 0 else { throw RPCError.invalidField("\(field).delivered_at_unix_micros", "must not be negative") }
        guard facts.completedAtUnixMicros >= 0 else { throw RPCError.invalidField("\(field).completed_at_unix_micros", "must not be negative") }
        guard facts.promisedDeliveryUnixMicros >= 0 else {
            throw RPCError.invalidField("\(field).promised_delivery_unix_micros", "must not be negative")
        }
        guard facts.buyerOrders90D >= 0 else { throw RPCError.invalidField("\(field).buyer_orders_90d", "must not be negative") }
        for (money, name) in [(facts.paid, "paid"), (facts.refundable, "refundable"), (facts.buyerPaid90D, "buyer_paid_90d"), (facts.buyerRefunded90D, "buyer_refunded_90d")] {
            try RequestCheck.money(money, "\(field).\(name)", allowZero: true)
            try RequestCheck.sameCurrency(money.currency, currency, "\(field).\(name).currency")
        }
        return OrderFacts(
            orderStatus: status, deliveredAtMicros: facts.deliveredAtUnixMicros == 0 ? nil : facts.deliveredAtUnixMicros,
            promisedDeliveryMicros: facts.promisedDeliveryUnixMicros == 0 ? nil : facts.promisedDeliveryUnixMicros,
            completedAtMicros: facts.completedAtUnixMicros == 0 ? nil : facts.completedAtUnixMicros,
            paid: Amount(facts.paid), refundable: Amount(facts.refundable),
            buyer: ApplicationFacts.BuyerTotals(
                orders: facts.buyerOrders90D, paid: Amount(facts.buyerPaid90D), refunded: Amount(facts.buyerRefunded90D)))
    }

    static func evidence(_ items: [Aftercare_Aftersales_V1_EvidenceInput], _ field: String, minimum: Int) throws -> [EvidenceInput] {
        guard items.count >= minimum, items.count <= AftersalesLimits.evidence else {
            throw RPCError.invalidField(field, "\(minimum) to \(AftersalesLimits.evidence) items, got \(items.count)")
        }
        return try items.enumerated().map { index, item in
            let name = "\(field)[\(index)]"
            guard let kind = EvidenceRecord.Kind(item.kind) else { throw RPCError.invalidField("\(name).kind", "required: photo, video or text") }
            switch kind {
            case .photo, .video:
                try RequestCheck.required(item.uri, "\(name).uri", maxLength: AftersalesLimits.uri)
                guard item.sha256.utf8.count == 64, item.sha256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                    throw RPCError.invalidField("\(name).sha256", "64 lower-case hex digits")
                }
                guard item.text.isEmpty else { throw RPCError.invalidField("\(name).text", "only text evidence has text") }
            case .text:
                try RequestCheck.required(item.text, "\(name).text", maxLength: AftersalesLimits.text)
                guard item.uri.isEmpty, item.sha256.isEmpty else {
                    throw RPCError.invalidField("\(name).uri", "text evidence has no file")
                }
            }
            return EvidenceInput(kind: kind, uri: item.uri, sha256: item.sha256, text: item.text)
        }
    }

    /// The header every actor's action carries.
    static func action(_ action: Aftercare_Aftersales_V1_CaseActionRequest, _ field: String = "") throws {
        try RequestCheck.required(action.caseID, field + "case_id")
        guard action.version > 0 else { throw RPCError.invalidField(field + "version", "required: the case's version token") }
        try RequestCheck.required(action.actorID, field + "actor_id")
        try RequestCheck.optional(action.reasonCode, field + "reason_code")
        try RequestCheck.optional(action.note, field + "note", maxLength: AftersalesLimits.note)
    }

    static func inspection(_ lines: [Aftercare_Aftersales_V1_InspectionLine], field: String = "lines") throws -> [CaseEventRequest.InspectionLine] {
        guard !lines.isEmpty, lines.count <= AftersalesLimits.lines else {
            throw RPCError.invalidField(field, "1 to \(AftersalesLimits.lines) lines, got \(lines.count)")
        }
        return try lines.enumerated().map { index, line in
            let name = "\(field)[\(index)]"
            try RequestCheck.required(line.lineID, "\(name).line_id")
            for (value, part) in [(line.receivedOk, "received_ok"), (line.damaged, "damaged"), (line.wrongItem, "wrong_item"), (line.short, "short")]
            where value < 0 {
                throw RPCError.invalidField("\(name).\(part)", "must not be negative, got \(value)")
            }
            return CaseEventRequest.InspectionLine(
                lineID: line.lineID, receivedOK: line.receivedOk, damaged: line.damaged, wrongItem: line.wrongItem, short: line.short)
        }
    }

    /// An inspection names every line of the case once, and each line's units add up to its quantity.
    static func inspection(_ lines: [CaseEventRequest.InspectionLine], matches record: CaseRecord, field: String = "lines") throws {
        guard lines.count == record.lines.count else {
            throw RPCError.invalidField(field, "every line of case \(record.caseID) once: \(record.lines.count) lines, got \(lines.count)")
        }
        for (index, line) in lines.enumerated() {
            guard let caseLine = record.lines.first(where: { $0.lineID == line.lineID }),
                lines.firstIndex(where: { $0.lineID == line.lineID }) == index
            else {
                throw RPCError.invalidField("\(field)[\(index)].line_id", "not a line of case \(record.caseID), or named twice")
            }
            // Each part is at most Int64.max: their sum is taken wide, so no request can overflow it.
            let total = [line.receivedOK, line.damaged, line.wrongItem, line.short].reduce(Int128(0)) { $0 + Int128($1) }
            guard total == Int128(caseLine.quantity) else {
                throw RPCError.invalidField(
                    "\(field)[\(index)]", "received_ok + damaged + wrong_item + short must be the line's quantity \(caseLine.quantity), got \(total)")
            }
        }
    }

    static func sagaOutcome(_ request: Aftercare_Aftersales_V1_RecordSagaOutcomeRequest) throws {
        try RequestCheck.required(request.caseID, "case_id")
        try RequestCheck.optional(request.reason, "reason", maxLength: AftersalesLimits.note)
    }

    static func shipment(_ request: Aftercare_Aftersales_V1_RecordShipmentRequest) throws {
        try RequestCheck.required(request.caseID, "case_id")
        try RequestCheck.required(request.shipment.shipmentID, "shipment.shipment_id")
        try RequestCheck.optional(request.shipment.carrier, "shipment.carrier")
        try RequestCheck.optional(request.shipment.trackingNumber, "shipment.tracking_number")
        try RequestCheck.optional(request.shipment.labelUri, "shipment.label_uri", maxLength: AftersalesLimits.uri)
    }

    /// The carrier event and the case event it is.
    static func carrierEvent(_ request: Aftercare_Aftersales_V1_RecordCarrierEventRequest) throws -> (CaseEventRequest.CarrierEvent, CaseEvent) {
        try RequestCheck.required(request.caseID, "case_id")
        guard let shipment = CaseFacts.Shipment(rawValue: request.shipmentKind) else {
            throw RPCError.invalidField("shipment_kind", "one of return, replacement, back_to_buyer")
        }
        try RequestCheck.required(request.shipmentID, "shipment_id")
        try RequestCheck.required(request.carrierEventID, "carrier_event_id")
        guard let event = CarrierProgress.caseEvent(request.event) else {
            throw RPCError.invalidField("event", "one of \(CarrierProgress.rank.keys.sorted().joined(separator: ", "))")
        }
        guard request.occurredAtUnixMicros >= 0 else { throw RPCError.invalidField("occurred_at_unix_micros", "must not be negative") }
        try RequestCheck.optional(request.description_p, "description", maxLength: AftersalesLimits.note)
        let carrier = CaseEventRequest.CarrierEvent(
            shipment: shipment, shipmentID: request.shipmentID, eventID: request.carrierEventID, name: request.event,
            occurredAtMicros: request.occurredAtUnixMicros, description: request.description_p)
        return (carrier, event)
    }

    static func list(_ request: Aftercare_Aftersales_V1_ListCasesRequest) throws -> (AftersalesStore.ListKey, String, AftersalesStore.StateFilter, Int) {
        let key: AftersalesStore.ListKey
        let value: String
        switch request.owner {
        case .buyerID(let id): (key, value) = (.buyer, id)
        case .sellerID(let id): (key, value) = (.seller, id)
        case .orderID(let id): (key, value) = (.order, id)
        case nil: throw RPCError.invalidField("owner", "one of buyer_id, seller_id, order_id is required")
        }
        try RequestCheck.required(value, key == .buyer ? "buyer_id" : key == .seller ? "seller_id" : "order_id")
        let filter: AftersalesStore.StateFilter
        switch request.state {
        case "": filter = .all
        case "open": filter = .open
        case "closed": filter = .closed
        default:
            guard let state = CaseState(rawValue: request.state) else {
                throw RPCError.invalidField("state", "a state name (REQUESTED, …), \"open\" or \"closed\"")
            }
            filter = .state(state)
        }
        try RequestCheck.optional(request.pageToken, "page_token")
        return (key, value, filter, try RequestCheck.pageSize(request.pageSize, default: 20, maximum: 100))
    }

    static func dryRun(_ request: Aftercare_Aftersales_V1_DryRunPolicyRequest) throws -> Int {
        try RequestCheck.required(request.policyYaml, "policy_yaml", maxLength: AftersalesLimits.policy)
        guard request.fromUnixMicros >= 0 else { throw RPCError.invalidField("from_unix_micros", "must not be negative") }
        guard request.toUnixMicros >= 0 else { throw RPCError.invalidField("to_unix_micros", "must not be negative") }
        if request.fromUnixMicros > 0 && request.toUnixMicros > 0 && request.toUnixMicros <= request.fromUnixMicros {
            throw RPCError.invalidField("to_unix_micros", "must be after from_unix_micros")
        }
        guard request.limit <= 10_000 else { throw RPCError.invalidField("limit", "at most 10000, got \(request.limit)") }
        return request.limit == 0 ? 1_000 : Int(request.limit)
    }
}
