/// Whose inbox: a buyer's, a seller's, or the platform team's (one shared inbox).
package enum InboxOwner: Hashable, Sendable, CustomStringConvertible {
    case buyer(String)
    case seller(String)
    case platform

    /// The stored form: `buyer:<id>`, `seller:<id>` or `platform`.
    package var key: String {
        switch self {
        case .buyer(let id): "buyer:\(id)"
        case .seller(let id): "seller:\(id)"
        case .platform: "platform"
        }
    }

    /// The owner a ``key`` names; `nil` for anything else.
    package init?(key: String) {
        if key == "platform" {
            self = .platform
        } else if key.hasPrefix("buyer:"), key.count > 6 {
            self = .buyer(String(key.dropFirst(6)))
        } else if key.hasPrefix("seller:"), key.count > 7 {
            self = .seller(String(key.dropFirst(7)))
        } else {
            return nil
        }
    }

    package var description: String { self.key }
}
