/// Why the buyer applies (docs/machines.md).
package enum CaseReason: String, Codable, Sendable, CaseIterable, Hashable {
    case noReason7d = "no_reason_7d"
    case damaged
    case notAsDescribed = "not_as_described"
    case wrongItem = "wrong_item"
    case notReceived = "not_received"
    case quality
    case other
}
