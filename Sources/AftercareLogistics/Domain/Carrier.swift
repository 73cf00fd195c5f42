/// A carrier the service knows, by its code (`sf_express`, …), and how its tracking numbers look.
package struct Carrier: Sendable, Hashable, CustomStringConvertible {
    /// The code requests and the database use.
    package let code: String
    /// The name people know it by.
    package let name: String
    /// The letters a label number this service generates begins with.
    let labelPrefix: String
    /// How many digits follow the prefix.
    let labelDigits: Int

    package var description: String { self.code }

    /// Every carrier the service accepts.
    package static let all: [Carrier] = [
        Carrier(code: "sf_express", name: "SF Express", labelPrefix: "SF", labelDigits: 13),
        Carrier(code: "yto", name: "YTO Express", labelPrefix: "YT", labelDigits: 13),
        Carrier(code: "zto", name: "ZTO Express", labelPrefix: "ZT", labelDigits: 12),
        Carrier(code: "jd_logistics", name: "JD Logistics", labelPrefix: "JDV", labelDigits: 12),
        Carrier(code: "sto", name: "STO Express", labelPrefix: "ST", labelDigits: 12),
        Carrier(code: "yunda", name: "Yunda Express", labelPrefix: "YD", labelDigits: 13),
        Carrier(code: "ems", name: "China Post EMS", labelPrefix: "EM", labelDigits: 11),
    ]

    /// The carrier with `code`, or `nil`.
    package static func named(_ code: String) -> Carrier? {
        self.all.first { $0.code == code }
    }

    /// The codes, for messages that list them.
    static var codes: String { self.all.map(\.code).joined(separator: ", ") }

    /// A new label tracking number: the carrier's prefix and random digits.
    func makeLabelNumber<R: RandomNumberGenerator>(using generator: inout R) -> String {
        var number = self.labelPrefix
        for _ in 0..<self.labelDigits {
            number.append(Character(String(Int.random(in: 0...9, using: &generator))))
        }
        return number
    }

    /// Whether `number` has the shape of a tracking number: 4 to 40 of A-Z, a-z, 0-9 and '-'.
    static func isWellFormed(trackingNumber number: String) -> Bool {
        (4...40).contains(number.utf8.count)
            && number.utf8.allSatisfy { byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45
            }
    }
}
