extension ReviewDecision {
    /// The decision as text for a support agent or the CLI: outcome, sentence, facts, every rule.
    package var explanation: String {
        let facts = self.facts
        var lines = [
            "Decision: \(outcome.rawValue) (seller \(sellerMayRefuse ? "may" : "may not") refuse), by rule \(decidingRule), "
                + "policy \(policyVersion) (\(policyFingerprint))",
            "Say to the buyer: \(sentence)",
            "Facts: \(facts.kind.rawValue), reason \(facts.reason.rawValue), requested \(facts.requested), "
                + "refundable \(facts.refundable), paid \(facts.paid), order \(facts.orderStatus.rawValue)",
            "  \(Self.delivery(facts)); decided \(FactTimeText.date(facts.nowMicros))",
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

    /// When the order was delivered and promised, as dates and spans from the decision.
    private static func delivery(_ facts: ApplicationFacts) -> String {
        var parts: [String] = []
        if let delivered = facts.deliveredAtMicros {
            parts.append("delivered \(FactTimeText.date(delivered)) (\(FactTimeText.duration(facts.nowMicros - delivered)) before the decision)")
        } else {
            parts.append("not delivered")
        }
        if let promised = facts.promisedDeliveryMicros {
            var text = "promised by \(FactTimeText.date(promised))"
            if let delivered = facts.deliveredAtMicros, delivered > promised {
                text += " (delivered \(FactTimeText.duration(delivered - promised)) late)"
            }
            parts.append(text)
        } else {
            parts.append("no delivery promised")
        }
        return parts.joined(separator: ", ")
    }
}
