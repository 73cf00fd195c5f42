internal import Foundation

/// A stored review decision: which policy decided, what it saw, every rule with whether it fired
/// and why, the outcome, and the sentence for the buyer. Encodes to deterministic JSON.
public struct ReviewDecision: Codable, Sendable, Hashable {
    /// One rule's evaluation.
    public struct RuleEvaluation: Codable, Sendable, Hashable {
        public let ruleID: String
        /// Whether every condition held.
        public let fired: Bool
        /// The outcome the rule gives when it fires.
        public let outcome: ReviewOutcome
        /// Each condition with its figures.
        public let conditions: [ConditionResult]

        /// Why the rule fired (every condition) or not (the conditions that failed).
        public var why: String {
            let shown = fired ? conditions : conditions.filter { !$0.holds }
            return shown.map { "\($0.condition.rawValue) \($0.holds ? "holds" : "fails"): \($0.detail)" }
                .joined(separator: "; ")
        }
    }

    /// The id ``decidingRule`` has when no rule fired.
    public static let fallbackRuleID = "default"

    public let policyVersion: String
    public let policyFingerprint: String
    public let facts: ApplicationFacts
    /// Every rule of the policy, in order.
    public let rules: [RuleEvaluation]
    /// The first rule that fired, or ``fallbackRuleID``.
    public let decidingRule: String
    public let outcome: ReviewOutcome
    /// False when any rule that fired forbids a refusal (or the fallback does, when none fired).
    public let sellerMayRefuse: Bool
    /// One sentence a support agent can read to the buyer.
    public let sentence: String

    /// The decision as JSON with sorted keys: the same decision always gives the same text.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A decision stored by ``json()``.
    public init(json: String) throws {
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
    public var caseFacts: CaseFacts {
        CaseFacts(reviewOutcome: self.outcome, sellerMayRefuse: self.sellerMayRefuse)
    }
}
