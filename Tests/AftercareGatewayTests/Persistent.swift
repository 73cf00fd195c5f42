import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareRPC
import SwiftProtobuf
import AftercareSagas
import AftercareTesting
import Foundation

/// How a client keeps going while the processes behind the gateway die and come back: every call
/// is sent again under the same idempotency key until it is answered; a refusal is the answer.
enum Persistent {
    /// How long a step may keep failing before the test gives up on it.
    static let patience: Duration = .seconds(120)

    /// Whether `error` may go away by itself: anything but a business refusal (and ABORTED, a
    /// stale version, which only a fresh read cures).
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? RPCError else { return false }
        return !SagaEngine.refusalCodes.contains(error.code) && error.code != .aborted
    }

    /// Runs `attempt` until it answers or fails otherwise than transiently (that error is thrown
    /// as it is); waits a little between tries, and at most ``patience`` in all.
    static func retry<Result: Sendable>(_ what: String, _ attempt: () async throws -> Result) async throws -> Result {
        let deadline = ContinuousClock.now + Self.patience
        while true {
            do {
                return try await attempt()
            } catch where Self.isTransient(error) {
                guard ContinuousClock.now < deadline else { throw TestKitError("\(what) kept failing: \(error)") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}

extension GatewayWorld.Caller {
    /// `method` with `request` under `key`, sent again with the same key until answered.
    func persist<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, key: String? = UUID().uuidString
    ) async throws -> Response {
        try await Persistent.retry(method.fullName) { try await self.call(method, request, key: key) }
    }
}

extension GatewayWorld {
    /// The case, polled through every outage (up to ``Persistent/patience``) until `done` holds.
    func steadyCase(_ caseID: String, until done: (Aftercare_Gateway_V1_CaseView) -> Bool) async throws -> Aftercare_Gateway_V1_CaseView {
        let deadline = ContinuousClock.now + Persistent.patience
        var last: Aftercare_Gateway_V1_CaseView?
        while ContinuousClock.now < deadline {
            if let view = try? await self.support.call(GatewayMethods.getCase, .with { $0.caseID = caseID }, key: nil) {
                if done(view) { return view }
                last = view
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestKitError("case \(caseID) did not get there: \(last.map { "\($0.record.state), sagas \($0.sagas.map { "\($0.definition): \($0.state)" })" } ?? "never read")")
    }

    /// The case once it has left `states` and none of its sagas runs.
    func steadyCase(_ caseID: String, while states: Set<String>) async throws -> Aftercare_Gateway_V1_CaseView {
        try await self.steadyCase(caseID) { view in
            !states.contains(view.record.state) && !view.sagas.contains { $0.state == "running" || $0.state == "compensating" }
        }
    }

    /// `caller`'s action on the case while it is in `state`: read, act under one key, resent
    /// until answered; a stale version is read again under a new key. Done once the case has left
    /// `state` (by this action, or by one an earlier attempt made and whose answer was lost).
    func steadyAct(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>, _ caseID: String,
        from state: String, by caller: Caller
    ) async throws {
        try await self.steadyAct(caseID, from: state) { version, key in
            _ = try await caller.call(method, .with { $0.caseID = caseID; $0.version = version }, key: key)
        }
    }

    /// An action built by `send` from the case's version, under the key given, as ``steadyAct(_:_:from:by:)``.
    func steadyAct(_ caseID: String, from state: String, _ send: (UInt64, String) async throws -> Void) async throws {
        let deadline = ContinuousClock.now + Persistent.patience
        while ContinuousClock.now < deadline {
            let current = try await self.steadyCase(caseID) { _ in true }.record
            guard current.state == state else { return }
            let key = UUID().uuidString
            do {
                try await Persistent.retry("\(caseID) from \(state)") { try await send(current.version, key) }
                return
            } catch let error as RPCError where error.code == .aborted || error.code == .failedPrecondition {
                // A saga moved the case meanwhile, or the lost answer was ours: read it again.
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        throw TestKitError("case \(caseID) stayed in \(state)")
    }

    /// The shipment moved by the carrier simulator until it is delivered, through every outage (a
    /// lost answer to the last move leaves nothing to move: the shipment is delivered).
    func steadyDeliver(_ shipmentID: String) async throws {
        var state = Aftercare_Logistics_V1_ShipmentState.labelCreated
        while state != .delivered {
            do {
                state = try await self.support.persist(GatewayMethods.advanceShipment, .with { $0.shipmentID = shipmentID }, key: nil).shipment.state
            } catch let error as RPCError where error.code == .failedPrecondition {
                state = try await self.support.persist(GatewayMethods.getShipment, .with { $0.shipmentID = shipmentID }, key: nil).state
                guard state == .delivered else { throw error }
            }
        }
    }

    /// The shipment moved on from its label to `to` by the carrier simulator, through every outage
    /// (a refusal after a lost answer is fine once the shipment has left its label).
    func steadyAdvance(_ shipmentID: String, to: Aftercare_Logistics_V1_CarrierEventKind) async throws {
        do {
            _ = try await self.support.persist(GatewayMethods.advanceShipment, .with { $0.shipmentID = shipmentID; $0.to = to }, key: nil)
        } catch let error as RPCError where error.code == .failedPrecondition {
            let shipment = try await self.support.persist(GatewayMethods.getShipment, .with { $0.shipmentID = shipmentID }, key: nil)
            guard shipment.state != .labelCreated else { throw error }
        }
    }
}
