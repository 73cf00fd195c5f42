package import AftercareRPC

/// A payment provider (a channel's adapter): charges and refunds, each under the caller's
/// idempotency key, and what became of a key. A provider never acts twice on one key: a repeated
/// key gets the first result.
///
/// A call that throws has an unknown outcome: the provider may or may not have acted. The caller
/// asks with ``lookupCharge(key:)`` / ``lookupRefund(key:)`` before anything else.
package protocol PaymentProvider: Sendable {
    /// The channel this provider serves.
    var channel: PaymentChannel { get }
    /// Takes `request.amount` from the buyer.
    func charge(_ request: ProviderCharge) async throws -> ProviderResult
    /// Pays `request.amount` of a charge back.
    func refund(_ request: ProviderRefund) async throws -> ProviderResult
    /// What the provider did with charge key `key`: its result, or `nil` if it has no record of it.
    func lookupCharge(key: String) async throws -> ProviderResult?
    /// What the provider did with refund key `key`: its result, or `nil` if it has no record of it.
    func lookupRefund(key: String) async throws -> ProviderResult?
}

/// A charge as a provider receives it.
package struct ProviderCharge: Sendable, Hashable {
    /// The provider deduplicates by it.
    package var key: String
    /// What the buyer pays.
    package var amount: Aftercare_Common_V1_Money

    package init(key: String, amount: Aftercare_Common_V1_Money) {
        self.key = key
        self.amount = amount
    }
}

/// A refund as a provider receives it.
package struct ProviderRefund: Sendable, Hashable {
    /// The refund intent's key: the provider deduplicates by it.
    package var key: String
    /// The provider's reference of the charge refunded.
    package var chargeReference: String
    /// What is paid back.
    package var amount: Aftercare_Common_V1_Money
    /// Why, as the buyer's statement may show it.
    package var reason: String
    /// For a manual payout: its reference outside the system.
    package var manualReference: String

    package init(key: String, chargeReference: String, amount: Aftercare_Common_V1_Money, reason: String, manualReference: String = "") {
        self.key = key
        self.chargeReference = chargeReference
        self.amount = amount
        self.reason = reason
        self.manualReference = manualReference
    }
}

/// A provider's definitive answer.
package enum ProviderResult: Sendable, Hashable {
    /// The money moved; the provider's reference for it.
    case succeeded(reference: String)
    /// Nothing moved; the provider's reason.
    case declined(reason: String)
}

/// A provider call whose outcome is unknown.
package struct ProviderError: Error, Sendable, CustomStringConvertible {
    /// What happened, for people.
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { self.message }
}
