public import AftercareAftersalesAPI
public import AftercareGatewayAPI
public import AftercareOrdersAPI
public import AftercarePaymentsAPI
import AftercareRPC
import SwiftProtobuf

/// The common calls in plain Swift: the request built from a few values, the interesting part of
/// the answer returned. Each is one of the typed calls underneath, with the same retries and errors.
extension AftercareClient {
    /// Places `order` (as its buyer: the client's buyer party when `order.buyerID` is empty).
    public func placeOrder(_ order: NewOrder, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Orders_V1_Order {
        let request = Aftercare_Orders_V1_CreateOrderRequest.with {
            $0.buyerID = order.buyerID
            $0.sellerID = order.sellerID
            $0.currency = order.currency
            $0.shippingFee = Aftercare_Common_V1_Money(order.shippingFeeMinor, order.currency)
            $0.promisedDeliveryUnixMicros = order.promisedDeliveryUnixMicros
            $0.lines = order.lines.map { line in
                .with {
                    $0.sku = line.sku
                    $0.title = line.title
                    $0.category = line.category
                    $0.quantity = line.quantity
                    $0.unitPrice = Aftercare_Common_V1_Money(line.unitPriceMinor, order.currency)
                }
            }
        }
        return try await self.createOrder(request, options: options).order
    }

    /// Pays the order's total through `channel`; the answer's payment says whether it was captured.
    public func pay(
        orderID: String, channel: Aftercare_Payments_V1_Channel, options: CallOptions = .init()
    ) async throws(AftercareError) -> Aftercare_Gateway_V1_PayOrderResponse {
        try await self.payOrder(.with { $0.orderID = orderID; $0.channel = channel }, options: options)
    }

    /// Ships the order with `carrier` (e.g. `sf_express`) under `trackingNumber` (as its seller).
    public func ship(
        orderID: String, carrier: String, trackingNumber: String, options: CallOptions = .init()
    ) async throws(AftercareError) -> Aftercare_Gateway_V1_ShipOrderResponse {
        try await self.shipOrder(
            .with {
                $0.orderID = orderID
                $0.carrier = carrier
                $0.trackingNumber = trackingNumber
            }, options: options)
    }

    /// Applies for a case of `kind` on `lines` (line id → quantity) of an order (as its buyer);
    /// the answer shows the review's decision.
    /// - Parameters:
    ///   - kind: `.refundOnly`, `.returnAndRefund` or `.exchange` (one line).
    ///   - orderID: the buyer's order.
    ///   - lines: the order's line ids, each with the quantity asked about.
    ///   - reason: why, e.g. `.noReason7D`, `.damaged`.
    ///   - description: the buyer's words, up to 2,048 bytes.
    ///   - requestedMinor: what the buyer asks for, in minor units; `nil`: the lines' value.
    ///   - currency: of `requestedMinor`; the order's.
    ///   - replacementSKU: an exchange's replacement.
    ///   - options: deadline, idempotency key, party, trace.
    public func apply(
        _ kind: Aftercare_Aftersales_V1_CaseKind, orderID: String, lines: [String: Int64], reason: Aftercare_Aftersales_V1_CaseReason,
        description: String = "", requestedMinor: Int64? = nil, currency: String = "CNY", replacementSKU: String = "",
        options: CallOptions = .init()
    ) async throws(AftercareError) -> Aftercare_Gateway_V1_CaseView {
        let request = Aftercare_Gateway_V1_ApplyRequest.with {
            $0.kind = kind
            $0.orderID = orderID
            $0.reason = reason
            $0.description_p = description
            $0.replacementSku = replacementSKU
            $0.lines = lines.sorted { $0.key < $1.key }.map { id, quantity in .with { $0.lineID = id; $0.quantity = quantity } }
            if let requestedMinor { $0.requested = Aftercare_Common_V1_Money(requestedMinor, currency) }
        }
        return try await self.apply(request, options: options)
    }

    /// The case `caseID` with its history, decision and sagas.
    public func caseView(_ caseID: String, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_CaseView {
        try await self.getCase(.with { $0.caseID = caseID }, options: options)
    }

    /// Reads the case every `interval` until `done` holds for it, or `timeout` passes (then
    /// `DEADLINE_EXCEEDED` naming the state it is in). Cases move on by themselves as the
    /// gateway's sagas run: this is how a caller waits for one.
    public func waitForCase(
        _ caseID: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(100),
        until done: (Aftercare_Gateway_V1_CaseView) -> Bool
    ) async throws(AftercareError) -> Aftercare_Gateway_V1_CaseView {
        let deadline = ContinuousClock.now + timeout
        while true {
            let view = try await self.caseView(caseID)
            if done(view) { return view }
            guard ContinuousClock.now < deadline else {
                throw AftercareError(
                    code: .deadlineExceeded, message: "case \(caseID) is still \(view.record.state) after \(timeout)", outcome: .executed,
                    method: GatewayMethods.getCase.fullName, attempts: 1)
            }
            do { try await Task.sleep(for: interval) } catch {
                throw AftercareError(error, method: GatewayMethods.getCase.fullName, attempts: 1)
            }
        }
    }

    /// The case once it has left `states` and none of its sagas is still running or compensating.
    public func waitForCase(
        _ caseID: String, toLeave states: Set<String>, timeout: Duration = .seconds(30)
    ) async throws(AftercareError) -> Aftercare_Gateway_V1_CaseView {
        try await self.waitForCase(caseID, timeout: timeout) { view in
            !states.contains(view.record.state) && !view.sagas.contains { $0.state == "running" || $0.state == "compensating" }
        }
    }

    /// Takes `action` on the case at its current version (read first, as the same party).
    public func act(
        _ action: CaseAction, onCase caseID: String, options: CallOptions = .init()
    ) async throws(AftercareError) -> Aftercare_Aftersales_V1_Case {
        let version = try await self.caseView(caseID, options: CallOptions(timeout: options.timeout, party: options.party)).record.version
        return try await self.call(action.method, .with { $0.caseID = caseID; $0.version = version }, options, .keyed).record
    }

    /// One saga in full: steps, attempts, back-offs, history.
    public func saga(_ sagaID: String, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_SagaView {
        try await self.getSaga(.with { $0.sagaID = sagaID }, options: options)
    }
}
