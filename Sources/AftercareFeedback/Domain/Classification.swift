/// By the stars: 4–5 positive, 3 neutral, 1–2 negative.
package enum Classification: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case positive
    case neutral
    case negative

    package var description: String { self.rawValue }

    /// The class of a rating of `stars` (1–5, checked by the caller).
    package init(stars: Int) {
        switch stars {
        case 4...: self = .positive
        case 3: self = .neutral
        default: self = .negative
        }
    }
}

/// A fact about the order that counts in a review's classification.
package struct ClassificationReason: Sendable, Hashable, Codable {
    package var code: String
    package var detail: String

    package init(code: String, detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `late_delivery` when the line was delivered after the promised date (0: none promised).
    package static func lateDelivery(deliveredAtMicros delivered: Int64, promisedAtMicros promised: Int64) -> ClassificationReason? {
        guard promised > 0, delivered > promised else { return nil }
        let hour: Int64 = 3_600 * 1_000_000
        let hours = (delivered - promised + hour - 1) / hour
        return ClassificationReason(code: "late_delivery", detail: "delivered \(hours) hour\(hours == 1 ? "" : "s") after the promised date")
    }
}
