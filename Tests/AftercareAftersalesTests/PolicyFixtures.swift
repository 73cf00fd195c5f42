@testable import AftercareAftersales
import AftercareTesting

/// Application facts for the policy tests: `base` fires no rule of the default policy.
enum PolicyFixtures {
    static let now: Int64 = 1_790_000_000_000_000

    static func cny(_ yuan: Int64) -> Amount { Amount(yuan * 100, "CNY") }

    static let base = ApplicationFacts(
        kind: .returnAndRefund,
        reason: .other,
        lines: [.init(orderLineID: "line_1", category: "apparel", quantity: 1, casesBefore: 0)],
        requested: cny(100),
        orderStatus: .delivered,
        deliveredAtMicros: now - 3 * Micros.day,
        promisedDeliveryMicros: now - 4 * Micros.day,
        paid: cny(300),
        refundable: cny(300),
        evidence: .init(),
        buyer: .init(orders: 10, paid: cny(5000), refunded: cny(0)),
        nowMicros: now
    )

    static func facts(_ change: (inout ApplicationFacts) -> Void) -> ApplicationFacts {
        var facts = base
        change(&facts)
        return facts
    }

    /// The default policy's text with one line's text replaced (the text must occur once).
    static func editedDefault(_ old: String, _ new: String) -> String {
        let parts = ReviewPolicy.defaultYAML.split(separator: old, omittingEmptySubsequences: false)
        precondition(parts.count == 2, "\(old) occurs \(parts.count - 1) times")
        return parts.joined(separator: new)
    }

    /// The 1-based line of the last occurrence of `text` (the comments above mention keys too).
    static func line(of text: String, in yaml: String) -> Int {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.lastIndex { $0.contains(text) }! + 1
    }
}
