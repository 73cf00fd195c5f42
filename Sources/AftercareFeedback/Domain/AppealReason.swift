/// Why a seller appeals.
package enum AppealReason: String, Sendable, CaseIterable, Codable {
    case abusive
    case extortion
    case wrongProduct = "wrong_product"
    case privacy
}
