extension ReviewPolicy {
    /// A stored decision and what a candidate policy decides for the same facts.
    package struct DecisionChange: Sendable, Hashable {
        package let before: ReviewDecision
        package let after: ReviewDecision
    }

    /// Decides again from the decision's stored facts. This policy must be the one that decided
    /// (same version and fingerprint); the result then equals the stored decision.
    package func replay(_ decision: ReviewDecision) throws(PolicyError) -> ReviewDecision {
        guard decision.policyVersion == self.version, decision.policyFingerprint == self.fingerprint else {
            throw PolicyError(
                line: nil, key: "version",
                problem: "the decision was made by policy \(decision.policyVersion) (\(decision.policyFingerprint)), "
                    + "not \(self.version) (\(self.fingerprint))")
        }
        return self.decide(decision.facts)
    }

    /// Runs this (candidate) policy over stored decisions, before it is switched on: the decisions
    /// whose outcome or seller protection it would change, with before and after.
    package func dryRun(over decisions: [ReviewDecision]) -> [DecisionChange] {
        decisions.compactMap { before in
            let after = self.decide(before.facts)
            let changed = after.outcome != before.outcome || after.sellerMayRefuse != before.sellerMayRefuse
            return changed ? DecisionChange(before: before, after: after) : nil
        }
    }
}
