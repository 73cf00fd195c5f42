import AftercareRPC

/// The `manual` channel: a payout an operator already made outside the system. Recording it moves
/// no money, so it always succeeds with the payout's own reference, and a repeat is harmless.
package struct ManualPayoutProvider: PaymentProvider {
    package var channel: PaymentChannel { .manual }

    package init() {}

    package func charge(_ request: ProviderCharge) async throws -> ProviderResult {
        .declined(reason: "the manual channel takes no payments")
    }

    package func refund(_ request: ProviderRefund) async throws -> ProviderResult {
        .succeeded(reference: request.manualReference)
    }

    package func lookupCharge(key: String) async throws -> ProviderResult? { nil }

    /// No books of its own: a pending manual payout is recorded again, which moves nothing.
    package func lookupRefund(key: String) async throws -> ProviderResult? { nil }
}
