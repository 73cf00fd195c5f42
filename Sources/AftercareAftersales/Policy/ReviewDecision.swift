internal import Foundation

/// A stored review decision: which policy decided, what it saw, every rule with whether it fired
/// and why, the outcome, and the sentence for the buyer. Encodes to deterministic JSON.
package struct ReviewDecision: Codable, Sendable, Hashable {
    /// One rule's evaluation.
    package struct RuleEvaluation: Codable, Sendable, Hashable {
        package let ruleID: String
        /// Whether every condition held.
        package let fired: Bool
        /// The outcome the rule gives when it fires.
        package let outcome: ReviewOutcome
        /// Each condition with its figures.
        package let conditions: [ConditionResult]

        /// Why the rule fired (every condition) or not (the conditions that failed).
        package var why: String {
            let shown = fired ? conditions : conditions.filter { !$0.holds }
            return shown.map { "\($0.condition.rawValue) \($0.holds ? "holds" : "fails"): \($0.detail)" }
                .joined(separator: "; ")
        }
    }

    /// The id ``decidingRule`` has when no rule fired.
    package static let fallbackRuleID = "default"

    package let policyVersion: String
    package let policyFingerprint: String
    package let facts: ApplicationFacts
    /// Every rule of the policy, in order.
    package let rules: [RuleEvaluation]
    /// The first rule that fired, or ``fallbackRuleID``.
    package let decidingRule: String
    package let outcome: ReviewOutcome
    /// False when any rule that fired forbids a refusal (or the fallback does, when none fired).
    package let sellerMayRefuse: Bool
    /// One sentence a support agent can read to the buyer.
    package let sentence: String

    /// The decision as JSON with sorted keys: the same decision always gives the same text.
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A decision stored by ``json()``.
    package init(json: String) throws {
        self = try JSONDecoder().decode(ReviewDecision.self, from: Data(json.utf8))
    }

    init(
        policyVersion: String, policyFingerprint: String, facts: ApplicationFacts, rules: [RuleEvaluation],
        decidingRule: String, outcome: ReviewOutcome, sellerMayRefuse: Bool, sentence: String
    ) {
        self.policyVersion = policyVersion
        self.policyFingerprint = policyFingerprint
        self.facts = facts
        self.rules = rules
        self.decidingRule = decidingRule
        self.outcome = outcome
        self.sellerMayRefuse = sellerMayRefuse
        self.sentence = sentence
    }

    /// The guard facts of `evaluate` for the case machine.
    package var caseFacts: CaseFacts {
        CaseFacts(reviewOutcome: self.outcome, sellerMayRefuse: self.sellerMayRefuse)
    }
}
