import CoreMetrics

/// Items filed in the inboxes, counted once their transaction committed, by the kind of inbox:
/// `aftercare_inbox_deliveries_total{audience}` with `audience` `buyer`, `seller` or `platform`
/// (never an owner's id). An event delivered again files nothing and counts nothing.
enum InboxMetrics {
    static func delivered(_ items: [InboxItem]) {
        var counts: [String: Int64] = [:]
        for item in items { counts[item.owner.audience, default: 0] += 1 }
        for (audience, count) in counts {
            Counter(label: "aftercare_inbox_deliveries_total", dimensions: [("audience", audience)]).increment(by: count)
        }
    }
}

extension InboxOwner {
    /// The kind of inbox, for metrics: `buyer`, `seller` or `platform`.
    var audience: String {
        switch self {
        case .buyer: "buyer"
        case .seller: "seller"
        case .platform: "platform"
        }
    }
}
