import AftercareAftersalesAPI

/// How `aftercare policy` writes decisions.
enum PolicyText {
    /// `approve by rule small_amount — the sentence`, with the seller's protection when it has none.
    static func verdict(_ decision: Aftercare_Aftersales_V1_Decision) -> String {
        let refuse = decision.sellerMayRefuse ? "" : " (seller may not refuse)"
        return "\(decision.outcome) by \(decision.decidingRule)\(refuse) — \(decision.sentence)"
    }

    /// What differs between two decisions of the same facts: outcome, deciding rule, seller
    /// protection, sentence, and each rule whose result changed.
    static func differences(_ before: Aftercare_Aftersales_V1_Decision, _ after: Aftercare_Aftersales_V1_Decision) -> [String] {
        var lines: [String] = []
        if before.outcome != after.outcome { lines.append("outcome: \(before.outcome) → \(after.outcome)") }
        if before.decidingRule != after.decidingRule { lines.append("deciding rule: \(before.decidingRule) → \(after.decidingRule)") }
        if before.sellerMayRefuse != after.sellerMayRefuse { lines.append("seller may refuse: \(before.sellerMayRefuse) → \(after.sellerMayRefuse)") }
        if before.sentence != after.sentence { lines.append("sentence: \(after.sentence)") }
        let earlier = Dictionary(before.rules.map { ($0.ruleID, $0) }, uniquingKeysWith: { first, _ in first })
        for rule in after.rules where earlier[rule.ruleID]?.fired != rule.fired || earlier[rule.ruleID]?.outcome != rule.outcome {
            lines.append("rule \(rule.ruleID): \(rule.fired ? "fires" : "does not fire") now — \(rule.why)")
        }
        if lines.isEmpty { lines.append("the explanation differs: \(after.explanation)") }
        return lines
    }
}
