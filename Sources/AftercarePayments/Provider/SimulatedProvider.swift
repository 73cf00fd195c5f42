import AftercareRPC
import AftercareServiceKit

/// One channel of the ``ProviderSimulator``.
package struct SimulatedProvider: PaymentProvider {
    package let channel: PaymentChannel
    let simulator: ProviderSimulator

    package func charge(_ request: ProviderCharge) async throws -> ProviderResult {
        try await self.simulator.perform(
            self.operation(.charge, key: request.key, amount: request.amount, chargeReference: "", prefix: "ch"))
    }

    package func refund(_ request: ProviderRefund) async throws -> ProviderResult {
        try await self.simulator.perform(
            self.operation(.refund, key: request.key, amount: request.amount, chargeReference: request.chargeReference, prefix: "rf"))
    }

    package func lookupCharge(key: String) async throws -> ProviderResult? {
        try await self.simulator.ledger.operation(self.channel, .charge, key: key)?.result
    }

    package func lookupRefund(key: String) async throws -> ProviderResult? {
        try await self.simulator.ledger.operation(self.channel, .refund, key: key)?.result
    }

    private func operation(
        _ kind: ProviderOperation.Kind, key: String, amount: Aftercare_Common_V1_Money, chargeReference: String, prefix: String
    ) -> ProviderOperation {
        let now = self.simulator.clock.nowMicros
        let result: ProviderResult =
            if let reason = self.simulator.rules.declineReason(amountMinor: amount.amountMinor) {
                .declined(reason: reason)
            } else if kind == .refund, self.simulator.declinesAsFirstRefund(chargeReference: chargeReference, amountMinor: amount.amountMinor) {
                .declined(reason: "declined by the simulator: the merchant balance is short for the first refund of \(chargeReference)")
            } else {
                .succeeded(reference: RecordID.make("\(self.channel.rawValue)_\(prefix)", atMicros: now))
            }
        return ProviderOperation(
            channel: self.channel, kind: kind, key: key, amount: amount, chargeReference: chargeReference, result: result, requests: 1,
            createdAtMicros: now)
    }
}
