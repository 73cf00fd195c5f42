extension ReviewDecision {
    /// The decision as text for a support agent or the CLI: outcome, sentence, facts, every rule.
    public var explanation: String {
        let facts = self.facts
        var lines = [
            "Decision: \(outcome.rawValue) (seller \(sellerMayRefuse ? "may" : "may not") refuse), by rule \(decidingRule), "
                + "policy \(policyVersion) (\(policyFingerprint))",
            "Say to the buyer: \(sentence)",
            "Facts: \(facts.kind.rawValue), reason \(facts.reason.rawValue), requested \(facts.requested), "
                + "refundable \(facts.refundable), paid \(facts.paid), order \(facts.orderStatus.rawValue)",
            "  delivered at \(facts.deliveredAtMicros.map(String.init) ?? "-") µs, promised \(facts.promisedDeliveryMicros.map(String.init) ?? "-") µs, "
                + "now \(facts.nowMicros) µs",
            "  evidence: \(facts.evidence.photos) photos, \(facts.evidence.videos) videos, \(facts.evidence.texts) texts",
            "  buyer over 90 days: \(facts.buyer.orders) orders, paid \(facts.buyer.paid), refunded \(facts.buyer.refunded)",
        ]
        for line in facts.lines {
            lines.append("  line \(line.orderLineID): \(line.quantity) × \(line.category), \(line.casesBefore) cases before")
        }
        lines.append("Rules (the first that fires decides):")
        for rule in rules {
            lines.append("  [\(rule.fired ? "x" : " ")] \(rule.ruleID) → \(rule.outcome.rawValue): \(rule.why)")
        }
        return lines.joined(separator: "\n")
    }
}
