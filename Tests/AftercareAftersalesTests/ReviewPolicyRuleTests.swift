import AftercareTesting
import Testing

@testable import AftercareAftersales

/// Every rule of the default policy with a case that fires it and one that does not.
@Suite struct ReviewPolicyRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let facts: ApplicationFacts
        let rule: String
        let outcome: ReviewOutcome
        let sellerMayRefuse: Bool
        var testDescription: String { name }
    }

    typealias F = PolicyFixtures

    static let cases: [Case] = [
        Case(name: "nothing fires: default", facts: F.base, rule: "default", outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "more than refundable", facts: F.facts { $0.requested = F.cny(301) }, rule: "amount_over_refundable",
            outcome: .ineligible, sellerMayRefuse: true),
        Case(
            name: "exactly refundable", facts: F.facts { $0.requested = F.cny(300) }, rule: "default", outcome: .sellerReview,
            sellerMayRefuse: true),
        Case(
            name: "sixth case on a line", facts: F.facts { $0.lines[0].casesBefore = 5 }, rule: "too_many_cases_on_line",
            outcome: .ineligible, sellerMayRefuse: true),
        Case(
            name: "fifth case on a line", facts: F.facts { $0.lines[0].casesBefore = 4 }, rule: "default", outcome: .sellerReview,
            sellerMayRefuse: true),
        Case(
            name: "refund-only, unshipped",
            facts: F.facts {
                $0.kind = .refundOnly
                $0.orderStatus = .paid
                $0.deliveredAtMicros = nil
            }, rule: "unshipped_refund_only", outcome: .approve, sellerMayRefuse: false),
        Case(
            name: "refund-only, shipped",
            facts: F.facts {
                $0.kind = .refundOnly
                $0.orderStatus = .shipped
            }, rule: "default", outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "damaged without photo or video", facts: F.facts { $0.reason = .damaged }, rule: "evidence_missing",
            outcome: .needsEvidence, sellerMayRefuse: true),
        Case(
            name: "quality with only a text",
            facts: F.facts {
                $0.reason = .quality
                $0.evidence.texts = 2
            }, rule: "evidence_missing", outcome: .needsEvidence, sellerMayRefuse: true),
        Case(
            name: "not as described with a video",
            facts: F.facts {
                $0.reason = .notAsDescribed
                $0.evidence.videos = 1
            }, rule: "default", outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "wrong item needs no photo", facts: F.facts { $0.reason = .wrongItem }, rule: "default",
            outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "no-reason return on day 7",
            facts: F.facts {
                $0.reason = .noReason7d
                $0.deliveredAtMicros = F.now - 7 * Micros.day
            }, rule: "no_reason_return_in_window", outcome: .approve, sellerMayRefuse: false),
        Case(
            name: "no-reason return a second after day 7",
            facts: F.facts {
                $0.reason = .noReason7d
                $0.deliveredAtMicros = F.now - 7 * Micros.day - 1_000_000
            }, rule: "default", outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "no-reason return of a perishable",
            facts: F.facts {
                $0.reason = .noReason7d
                $0.lines.append(.init(orderLineID: "line_2", category: "perishable", quantity: 1, casesBefore: 0))
            }, rule: "default", outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "no-reason return of an undelivered order",
            facts: F.facts {
                $0.reason = .noReason7d
                $0.orderStatus = .shipped
                $0.deliveredAtMicros = nil
            }, rule: "default", outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "above the review threshold",
            facts: F.facts {
                $0.requested = F.cny(1001)
                $0.refundable = F.cny(2000)
            }, rule: "amount_above_threshold", outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "at the review threshold",
            facts: F.facts {
                $0.requested = F.cny(1000)
                $0.refundable = F.cny(2000)
            }, rule: "default", outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "above the threshold, but a no-reason return in its window",
            facts: F.facts {
                $0.reason = .noReason7d
                $0.requested = F.cny(1500)
                $0.refundable = F.cny(2000)
            }, rule: "no_reason_return_in_window", outcome: .approve, sellerMayRefuse: false),
        Case(
            name: "high refund rate",
            facts: F.facts { $0.buyer = .init(orders: 6, paid: F.cny(1000), refunded: F.cny(600)) }, rule: "high_refund_rate",
            outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "refund rate just below the bar",
            facts: F.facts { $0.buyer = .init(orders: 6, paid: F.cny(1000), refunded: Amount(49_999, "CNY")) }, rule: "default",
            outcome: .sellerReview, sellerMayRefuse: true),
        Case(
            name: "high refund rate on too few orders",
            facts: F.facts { $0.buyer = .init(orders: 2, paid: F.cny(1000), refunded: F.cny(900)) }, rule: "default",
            outcome: .sellerReview, sellerMayRefuse: true),
    ]

    @Test(arguments: cases)
    func theDefaultPolicyDecides(_ example: Case) {
        let decision = ReviewPolicy.builtIn.decide(example.facts)
        #expect(decision.decidingRule == example.rule)
        #expect(decision.outcome == example.outcome)
        #expect(decision.sellerMayRefuse == example.sellerMayRefuse)
        #expect(decision.rules.map(\.ruleID) == ReviewPolicy.builtIn.rules.map(\.id), "every rule is evaluated")
        let fired = decision.rules.first { $0.fired }
        #expect(fired?.ruleID ?? "default" == example.rule)
        #expect(decision.policyVersion == "default-1")
    }

    @Test("a no-reason window from completion: not begun before the buyer confirms receipt, then counted from it")
    func aWindowFromCompletion() throws {
        let policy = try ReviewPolicy.load(yaml: F.editedDefault("  no_reason_window: 7d", "  no_reason_window: 7d\n  no_reason_window_from: completion"))
        #expect(policy.thresholds.noReasonWindowFrom == .completion)
        #expect(ReviewPolicy.builtIn.thresholds.noReasonWindowFrom == .delivery)
        let deliveredLongAgo = F.facts {
            $0.reason = .noReason7d
            $0.deliveredAtMicros = F.now - 20 * Micros.day
        }
        // Delivered 20 days ago, never confirmed: outside a window from delivery, inside one from completion.
        #expect(ReviewPolicy.builtIn.decide(deliveredLongAgo).decidingRule == "default")
        let notBegun = policy.decide(deliveredLongAgo)
        #expect(notBegun.decidingRule == "no_reason_return_in_window")
        #expect(notBegun.rules.first { $0.ruleID == "no_reason_return_in_window" }?.why.contains("has not begun") == true)
        var completed = deliveredLongAgo
        completed.orderStatus = .completed
        completed.completedAtMicros = F.now - 7 * Micros.day
        #expect(policy.decide(completed).decidingRule == "no_reason_return_in_window")
        completed.completedAtMicros = F.now - 7 * Micros.day - 1_000_000
        #expect(policy.decide(completed).decidingRule == "default")
    }

    @Test func theRulesFiguresReachTheSentenceAndTheExplanation() {
        let facts = PolicyFixtures.facts { $0.buyer = .init(orders: 6, paid: PolicyFixtures.cny(1000), refunded: PolicyFixtures.cny(600)) }
        let decision = ReviewPolicy.builtIn.decide(facts)
        #expect(
            decision.sentence
                == "The seller will review your request because 600.00 CNY of the 1000.00 CNY you paid on 6 orders in the last 90 days "
                + "was refunded (60.00%); they have 48 hours to answer.")
        let rate = decision.rules.first { $0.ruleID == "high_refund_rate" }!
        #expect(rate.fired)
        #expect(rate.why.contains("600.00 CNY refunded of 1000.00 CNY paid on 6 orders in 90 days = 60.00%, high from 50.00%"))
        let refundable = decision.rules.first { $0.ruleID == "amount_over_refundable" }!
        #expect(!refundable.fired)
        #expect(refundable.why == "requested_above_refundable fails: requested 100.00 CNY ≤ refundable 300.00 CNY")
        let text = decision.explanation
        #expect(text.contains("Decision: seller_review (seller may refuse), by rule high_refund_rate, policy default-1"))
        #expect(text.contains("Say to the buyer: \(decision.sentence)"))
        #expect(text.contains("[x] high_refund_rate → seller_review"))
        #expect(text.contains("[ ] no_reason_return_in_window → approve"))
        #expect(text.contains("buyer over 90 days: 6 orders, paid 1000.00 CNY, refunded 600.00 CNY"))
        #expect(text.contains(
            "delivered 2026-09-18T14:13:20Z (3 d before the decision), promised by 2026-09-17T14:13:20Z (delivered 1 d late); decided 2026-09-21T14:13:20Z"))
        #expect(!text.contains("µs"))
    }

    @Test("an explanation states an order not delivered and without a promised date as such, and spans in days, hours and minutes")
    func explanationTimes() {
        let undelivered = ReviewPolicy.builtIn.decide(PolicyFixtures.facts {
            $0.deliveredAtMicros = nil
            $0.promisedDeliveryMicros = nil
        })
        #expect(undelivered.explanation.contains("not delivered, no delivery promised; decided 2026-09-21T14:13:20Z"))
        let hour: Int64 = 3_600_000_000
        let recent = ReviewPolicy.builtIn.decide(PolicyFixtures.facts { $0.deliveredAtMicros = PolicyFixtures.now - 5 * hour - 12 * 60_000_000 })
        #expect(recent.explanation.contains("(5 h 12 min before the decision)"))
    }

    @Test func sentencesCarryTheFiguresOfEachOutcome() {
        let policy = ReviewPolicy.builtIn
        #expect(
            policy.decide(PolicyFixtures.facts { $0.requested = PolicyFixtures.cny(301) }).sentence
                == "We cannot accept this request: you asked for 301.00 CNY, but only 300.00 CNY can still be refunded on this order.")
        #expect(
            policy.decide(PolicyFixtures.facts { $0.lines[0].casesBefore = 5 }).sentence
                == "We cannot accept this request: order line line_1 already has 5 after-sales cases and at most 5 are allowed.")
        #expect(
            policy.decide(PolicyFixtures.facts { $0.reason = .noReason7d }).sentence
                == "Your no-reason return is approved: the order was delivered 3 days ago, within the 7 days allowed; the seller cannot refuse it.")
        #expect(
            policy.decide(PolicyFixtures.facts { $0.reason = .notAsDescribed }).sentence
                == "Please add at least one photo or video showing the problem (not as described) within 72 hours so we can review your request for 100.00 CNY.")
    }

    @Test func theBuiltInPolicyCarriesTheTimerDefaults() {
        for timer in CaseTimer.allCases {
            #expect(ReviewPolicy.builtIn.seconds(of: timer) == timer.defaultSeconds)
        }
        #expect(ReviewPolicy.builtIn.thresholds.maxCasesPerLine == 5)
        #expect(ReviewPolicy.builtIn.noReasonExcludedCategories == ["perishable", "customised", "digital", "opened_audio_visual"])
        #expect(ReviewPolicy.builtIn.evidenceRequiredReasons == [.damaged, .notAsDescribed, .quality])
    }

    @Test func aDecisionGivesTheCaseMachineItsGuardFacts() throws {
        let decision = ReviewPolicy.builtIn.decide(PolicyFixtures.facts { $0.reason = .damaged })
        let transition = try CaseMachine.returnAndRefund.apply(.evaluate, in: .requested, facts: decision.caseFacts)
        #expect(transition.to == .awaitingEvidence)
        #expect(transition.effects == [.recordDecision, .startTimer(.evidence)])
    }
}
