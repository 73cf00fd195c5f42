/// The automatic review of a new case, loaded from a YAML policy file (``load(yaml:)``; the format
/// is documented in ``defaultYAML``). Rules are tried in order: the first whose conditions all hold
/// decides the outcome; every rule is still evaluated and recorded. The seller may refuse unless a
/// rule that fired says otherwise.
package struct ReviewPolicy: Sendable, Hashable {
    /// Numbers the conditions compare against.
    package struct Thresholds: Sendable, Hashable {
        /// How long after its start (``noReasonWindowFrom``) a no-reason return is accepted.
        package var noReasonWindowSeconds: Int64
        /// Cases allowed on one order line, this one included.
        package var maxCasesPerLine: Int
        /// Per currency, the requested amount (minor units) above which the seller reviews.
        package var sellerReviewAbove: [String: Int64]
        /// The buyer's 90-day refund rate, in basis points, from which the seller reviews.
        package var highRefundRateBps: Int64
        /// Orders the buyer needs in 90 days before their refund rate counts.
        package var refundRateMinOrders: Int64
        /// What starts the no-reason window: the delivery (default) or the order's completion.
        package var noReasonWindowFrom: WindowStart = .delivery
    }

    /// What an after-sales window counts from.
    package enum WindowStart: String, Sendable, Hashable, CaseIterable {
        /// The carrier's delivery.
        case delivery
        /// The order's completion: the buyer confirmed receipt, or it completed by itself. Until
        /// then the window has not begun to run.
        case completion
    }

    /// One ordered rule.
    package struct Rule: Sendable, Hashable {
        /// Unique within the policy; recorded in decisions.
        package var id: String
        /// Conditions that must all hold for the rule to fire.
        package var when: [PolicyCondition]
        /// The outcome when it fires (and it is the first to).
        package var outcome: ReviewOutcome
        /// False: a case this rule fired on may not be refused by the seller.
        package var sellerMayRefuse: Bool
        /// The sentence for the buyer, with `{placeholders}` (``SentenceTemplate``).
        package var say: String
    }

    /// The outcome when no rule fires.
    package struct Fallback: Sendable, Hashable {
        package var outcome: ReviewOutcome
        package var sellerMayRefuse: Bool
        package var say: String
    }

    /// The version the file declares; stored in every decision.
    package let version: String
    /// A digest of the file's text, so a replay can tell two files of the same version apart.
    package let fingerprint: String
    /// The file's text, kept with decisions so a replay can load the policy that decided.
    package let source: String
    /// Timer durations, for every ``CaseTimer`` (the file's, or the default).
    package let timerSeconds: [CaseTimer: Int64]
    package let thresholds: Thresholds
    /// Categories a no-reason return does not cover.
    package let noReasonExcludedCategories: [String]
    /// Reasons that need at least one photo or video.
    package let evidenceRequiredReasons: [CaseReason]
    package let rules: [Rule]
    package let fallback: Fallback

    /// The duration of a timer under this policy, in seconds.
    package func seconds(of timer: CaseTimer) -> Int64 {
        self.timerSeconds[timer] ?? timer.defaultSeconds
    }
}
