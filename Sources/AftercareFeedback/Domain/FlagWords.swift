/// What a flagged comment reports.
package enum FlagReason: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case damage
    case fraud
    case nonDelivery = "non_delivery"

    package var description: String { self.rawValue }
}

/// Where the flagged text came from.
package enum FlagSource: String, Sendable, CaseIterable, Codable {
    case comment
    case followUp = "follow_up"
}

/// A comment flagged for a person's follow-up: the reason and the listed words found.
package struct ReviewFlag: Sendable, Hashable, Codable {
    package var reason: FlagReason
    package var matched: [String]
    package var source: FlagSource

    package init(reason: FlagReason, matched: [String], source: FlagSource) {
        self.reason = reason
        self.matched = matched
        self.source = source
    }
}

/// The keyword method that flags comments (services/README.md, "feedback"): a word list per
/// reason, in English and Chinese. The text is lower-cased (and ’ read as '); an English entry
/// matches as whole words (the characters around it are not ASCII letters, so "broken" does not
/// match "unbroken"), a Chinese entry anywhere. No negation handling: "not broken" is flagged too —
/// a flag asks a person to look, so a false alarm costs little and a miss costs a buyer.
package enum FlagWords {
    /// The lists, each in the order matches are reported.
    package static let lists: [(reason: FlagReason, words: [String])] = [
        (
            .damage,
            [
                "damaged", "damage", "broken", "broke", "cracked", "crushed", "smashed", "shattered", "dented", "torn", "defective",
                "leaking", "破损", "损坏", "坏了", "摔坏", "压坏", "碎了", "破了", "裂了", "开裂", "变形",
            ]
        ),
        (
            .fraud,
            [
                "fake", "counterfeit", "fraud", "scam", "knockoff", "knock-off", "replica", "not genuine", "not authentic", "假货", "骗",
                "冒牌", "山寨", "仿冒", "高仿", "盗版",
            ]
        ),
        (
            .nonDelivery,
            [
                "never arrived", "never received", "not received", "never came", "didn't arrive", "did not arrive", "hasn't arrived",
                "has not arrived", "never delivered", "not delivered", "lost in transit", "没收到", "未收到", "没有收到", "没到货",
                "未送达", "丢件", "快递丢了",
            ]
        ),
    ]

    /// The flags `text` raises, one per reason with at least one match, in list order.
    package static func flags(in text: String, source: FlagSource) -> [ReviewFlag] {
        let normalized = Array(text.lowercased().replacing("\u{2019}", with: "'").unicodeScalars)
        return self.lists.compactMap { list in
            let matched = list.words.filter { Self.contains(normalized, word: $0) }
            return matched.isEmpty ? nil : ReviewFlag(reason: list.reason, matched: matched, source: source)
        }
    }

    /// Whether `word` occurs in `text`; an ASCII word only between non-letters.
    static func contains(_ text: [Unicode.Scalar], word: String) -> Bool {
        let needle = Array(word.unicodeScalars)
        let ascii = needle.allSatisfy(\.isASCII)
        guard needle.count <= text.count else { return false }
        for start in 0...(text.count - needle.count) where text[start..<(start + needle.count)].elementsEqual(needle) {
            if !ascii { return true }
            let before = start == 0 ? nil : text[start - 1]
            let after = start + needle.count == text.count ? nil : text[start + needle.count]
            if !Self.isLetter(before) && !Self.isLetter(after) { return true }
        }
        return false
    }

    private static func isLetter(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar, scalar.isASCII else { return false }
        return (97...122).contains(scalar.value) || (65...90).contains(scalar.value)
    }
}
