package import AftercareRPC
import AftercareServiceKit

/// On whose behalf a gateway call acts: the call's `actor` metadata, `<kind>:<id>`.
package struct GatewayActor: Sendable, Hashable, CustomStringConvertible {
    /// Who acts.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case buyer
        case seller
        /// Platform staff (support agents, arbiters).
        case platform
        case `operator`
    }

    package var kind: Kind
    /// The buyer's, seller's, staff member's or operator's id.
    package var id: String

    package init(_ kind: Kind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    /// Parses `buyer:<id>`, `seller:<id>`, `platform:<id>` or `operator:<id>`.
    /// - Throws: UNAUTHENTICATED (not executed) when the metadata is missing, quoting it when it
    ///   names no actor of these kinds.
    package init(metadata: String?) throws(RPCError) {
        guard let metadata else {
            throw RPCError(
                .unauthenticated, "the call names no actor: set `actor` to buyer:<id>, seller:<id>, platform:<id> or operator:<id>",
                outcome: .notExecuted)
        }
        let parts = metadata.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), !parts[1].isEmpty, parts[1].utf8.count <= RequestCheck.maxStringLength
        else {
            throw RPCError(
                .unauthenticated, "`actor` \"\(metadata.prefix(64))\" is not buyer:<id>, seller:<id>, platform:<id> or operator:<id>",
                outcome: .notExecuted)
        }
        let id = String(parts[1])
        self.init(kind, id)
    }

    /// `<kind>:<id>`, as the metadata spells it.
    package var description: String { "\(self.kind.rawValue):\(self.id)" }

    /// Whose inbox the actor reads: a buyer's, a seller's, or the platform team's for platform staff
    /// and operators.
    package var inbox: InboxOwner {
        switch self.kind {
        case .buyer: .buyer(self.id)
        case .seller: .seller(self.id)
        case .platform, .operator: .platform
        }
    }
}
