extension ReviewPolicy {
    /// Decides a new case: evaluates every rule in order; the first that fires gives the outcome
    /// and the sentence, the fallback when none does.
    package func decide(_ facts: ApplicationFacts) -> ReviewDecision {
        let evaluations = self.rules.map { rule in
            let conditions = rule.when.map { self.evaluate($0, facts) }
            return ReviewDecision.RuleEvaluation(
                ruleID: rule.id, fired: conditions.allSatisfy(\.holds), outcome: rule.outcome, conditions: conditions)
        }
        let fired = zip(self.rules, evaluations).filter { $0.1.fired }.map(\.0)
        let deciding = fired.first
        let sellerMayRefuse = fired.isEmpty ? self.fallback.sellerMayRefuse : fired.allSatisfy(\.sellerMayRefuse)
        return ReviewDecision(
            policyVersion: self.version,
            policyFingerprint: self.fingerprint,
            facts: facts,
            rules: evaluations,
            decidingRule: deciding?.id ?? ReviewDecision.fallbackRuleID,
            outcome: deciding?.outcome ?? self.fallback.outcome,
            sellerMayRefuse: sellerMayRefuse,
            sentence: SentenceTemplate.render(deciding?.say ?? self.fallback.say, facts, self)
        )
    }
}
