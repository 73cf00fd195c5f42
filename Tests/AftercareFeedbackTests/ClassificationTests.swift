import AftercareFeedback
import Testing

/// Classification by stars, the late-delivery reason and the keyword flags.
@Suite("Classification and flags")
struct ClassificationTests {
    @Test("each star count has its class", arguments: [(1, Classification.negative), (2, .negative), (3, .neutral), (4, .positive), (5, .positive)])
    func stars(_ stars: Int, _ expected: Classification) {
        #expect(Classification(stars: stars) == expected)
    }

    @Test("a delivery later than promised is a reason, with the hours; on time or no promise is none")
    func lateDelivery() {
        let hour: Int64 = 3_600_000_000
        let late = ClassificationReason.lateDelivery(deliveredAtMicros: 100 * hour + 1, promisedAtMicros: 74 * hour)
        #expect(late == ClassificationReason(code: "late_delivery", detail: "delivered 27 hours after the promised date"))
        #expect(ClassificationReason.lateDelivery(deliveredAtMicros: 74 * hour, promisedAtMicros: 74 * hour) == nil)
        #expect(ClassificationReason.lateDelivery(deliveredAtMicros: 74 * hour, promisedAtMicros: 0) == nil)
    }

    struct Example: Sendable, CustomTestStringConvertible {
        var text: String
        var flags: [FlagReason: [String]]
        var testDescription: String { self.text }
    }

    static let examples: [Example] = [
        Example(text: "The box arrived BROKEN and the cup was cracked", flags: [.damage: ["broken", "cracked"]]),
        Example(text: "收到的杯子破损了", flags: [.damage: ["破损"]]),
        Example(text: "This is a fake, a counterfeit!", flags: [.fraud: ["fake", "counterfeit"]]),
        Example(text: "假货，商家骗人", flags: [.fraud: ["假货", "骗"]]),
        Example(text: "The parcel never arrived", flags: [.nonDelivery: ["never arrived"]]),
        Example(text: "I didn’t arrive at a conclusion — item not received", flags: [.nonDelivery: ["not received", "didn't arrive"]]),
        Example(text: "一直没收到货", flags: [.nonDelivery: ["没收到"]]),
        Example(text: "Damaged, and I think it's a scam; 快递丢了", flags: [.damage: ["damaged"], .fraud: ["scam"], .nonDelivery: ["快递丢了"]]),
        Example(text: "Unbroken seal, fakeless joy, lovely", flags: [:]),
        Example(text: "很好，质量不错", flags: [:]),
    ]

    @Test("comments are flagged by the word lists, English as whole words and Chinese anywhere", arguments: examples)
    func flags(_ example: Example) {
        let flags = FlagWords.flags(in: example.text, source: .comment)
        #expect(Dictionary(uniqueKeysWithValues: flags.map { ($0.reason, $0.matched) }) == example.flags)
        #expect(flags.allSatisfy { $0.source == .comment })
    }
}
