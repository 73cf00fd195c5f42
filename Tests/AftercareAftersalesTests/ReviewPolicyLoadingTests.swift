import AftercareTesting
import Foundation
import Testing

@testable import AftercareAftersales

/// Policies loaded at run time: an edited file decides the same cases differently; replay and
/// dry run; every kind of invalid file refused naming its line and key.
@Suite struct ReviewPolicyLoadingTests {
    typealias F = PolicyFixtures

    /// The default policy with a longer no-reason window, fewer cases per line and a shorter T_seller.
    static let editedYAML = F.editedDefault("version: default-1", "version: edited-2")
        .split(separator: "no_reason_window: 7d").joined(separator: "no_reason_window: 15d")
        .split(separator: "max_cases_per_line: 5").joined(separator: "max_cases_per_line: 3")
        .split(separator: "T_seller: 48h").joined(separator: "T_seller: 24h")

    @Test func anEditedPolicyFileDecidesTheSameCasesDifferently() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("review-policy.yaml").path
        try Self.editedYAML.write(toFile: path, atomically: true, encoding: .utf8)
        let edited = try ReviewPolicy.load(contentsOf: path)
        let builtIn = ReviewPolicy.builtIn
        #expect(edited.version == "edited-2")
        #expect(edited.fingerprint != builtIn.fingerprint)
        #expect(edited.seconds(of: .seller) == 24 * 3600)

        let lateNoReason = F.facts {
            $0.reason = .noReason7d
            $0.deliveredAtMicros = F.now - 10 * Micros.day
        }
        #expect(builtIn.decide(lateNoReason).outcome == .sellerReview)
        #expect(edited.decide(lateNoReason).outcome == .approve)
        #expect(edited.decide(lateNoReason).sentence.contains("delivered 10 days ago, within the 15 days allowed"))

        let fourthCase = F.facts { $0.lines[0].casesBefore = 3 }
        #expect(builtIn.decide(fourthCase).outcome == .sellerReview)
        #expect(edited.decide(fourthCase).outcome == .ineligible)

        #expect(builtIn.decide(F.base).sentence.hasSuffix("has 48 hours to answer."))
        #expect(edited.decide(F.base).sentence.hasSuffix("has 24 hours to answer."))
    }

    @Test func aReplayedDecisionEqualsTheStoredOne() throws {
        let policy = ReviewPolicy.builtIn
        for facts in [F.base, F.facts { $0.reason = .damaged }, F.facts { $0.buyer.refunded = F.cny(4000) }] {
            let stored = try policy.decide(facts).json()
            let decision = try ReviewDecision(json: stored)
            let replayed = try policy.replay(decision)
            #expect(replayed == decision)
            #expect(try replayed.json() == stored, "the JSON is deterministic")
        }
    }

    @Test func aReplayWithAnotherPolicyIsRefused() throws {
        let decision = ReviewPolicy.builtIn.decide(F.base)
        let edited = try ReviewPolicy.load(yaml: Self.editedYAML)
        #expect(throws: PolicyError.self) { try edited.replay(decision) }
        let sameVersionOtherText = try ReviewPolicy.load(yaml: ReviewPolicy.defaultYAML + "# a comment\n")
        #expect(sameVersionOtherText.version == decision.policyVersion)
        #expect(throws: PolicyError.self) { try sameVersionOtherText.replay(decision) }
    }

    @Test func aDryRunFindsExactlyTheDecisionsAStricterPolicyChanges() throws {
        let policy = ReviewPolicy.builtIn
        let stored = (1...8).map { days in
            policy.decide(F.facts {
                $0.reason = .noReason7d
                $0.deliveredAtMicros = F.now - Int64(days) * Micros.day
            })
        } + [
            policy.decide(F.facts {
                $0.kind = .refundOnly
                $0.orderStatus = .paid
            }),
            policy.decide(F.facts { $0.reason = .damaged }),
            policy.decide(F.base),
        ]
        let strict = try ReviewPolicy.load(
            yaml: F.editedDefault("no_reason_window: 7d", "no_reason_window: 3d")
                .split(separator: "version: default-1").joined(separator: "version: strict-1"))
        let changes = strict.dryRun(over: stored)
        #expect(changes.map(\.before) == Array(stored[3...6]), "delivered 4 to 7 days ago")
        for change in changes {
            #expect(change.before.outcome == .approve && !change.before.sellerMayRefuse)
            #expect(change.after.outcome == .sellerReview && change.after.sellerMayRefuse)
            #expect(change.after.policyVersion == "strict-1")
            #expect(change.after.facts == change.before.facts)
        }
        #expect(policy.dryRun(over: stored).isEmpty, "the same policy changes nothing")
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let name: String
        let yaml: String
        /// Text on the line the error must name (nil: no line expected).
        let lineText: String?
        let key: String
        let problem: String
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(
            name: "bad YAML", yaml: F.editedDefault("  T_ship: 7d", "  T_ship: 7d: 8d"),
            lineText: "T_ship", key: "", problem: "not valid YAML"),
        Invalid(
            name: "unknown key", yaml: F.editedDefault("  max_cases_per_line: 5", "  max_cases_per_line: 5\n  max_cases_per_buyer: 9"),
            lineText: "max_cases_per_buyer", key: "thresholds.max_cases_per_buyer", problem: "unknown key max_cases_per_buyer"),
        Invalid(
            name: "wrong type", yaml: F.editedDefault("max_cases_per_line: 5", "max_cases_per_line: five"),
            lineText: "max_cases_per_line", key: "thresholds.max_cases_per_line", problem: "expected a whole number"),
        Invalid(
            name: "a list where text belongs", yaml: F.editedDefault("version: default-1", "version: [1, 2]"),
            lineText: "version:", key: "version", problem: "expected text"),
        Invalid(
            name: "unknown outcome", yaml: F.editedDefault("outcome: needs_evidence", "outcome: ask_for_photos"),
            lineText: "ask_for_photos", key: "rules[3].outcome", problem: "unknown outcome ask_for_photos"),
        Invalid(
            name: "duplicate rule id", yaml: F.editedDefault("- id: high_refund_rate", "- id: evidence_missing"),
            lineText: "- id: evidence_missing", key: "rules[6].id", problem: "duplicate rule id evidence_missing"),
        Invalid(
            name: "negative duration", yaml: F.editedDefault("T_ship: 7d", "T_ship: -7d"),
            lineText: "T_ship", key: "timers.T_ship", problem: "not negative"),
        Invalid(
            name: "a timer too long for a deadline", yaml: F.editedDefault("T_ship: 7d", "T_ship: 200000000d"),
            lineText: "T_ship", key: "timers.T_ship", problem: "at most 3650d, got 200000000d"),
        Invalid(
            name: "negative number", yaml: F.editedDefault("refund_rate_min_orders: 3", "refund_rate_min_orders: -3"),
            lineText: "refund_rate_min_orders", key: "thresholds.refund_rate_min_orders", problem: "must not be negative"),
        Invalid(
            name: "unknown timer", yaml: F.editedDefault("T_inspect: 48h", "T_inspect: 48h\n  T_review: 15d"),
            lineText: "T_review", key: "timers.T_review", problem: "unknown key T_review"),
        Invalid(
            name: "unknown condition", yaml: F.editedDefault("when: [line_case_limit_reached]", "when: [line_has_many_cases]"),
            lineText: "line_has_many_cases", key: "rules[1].when[0]", problem: "unknown condition line_has_many_cases"),
        Invalid(
            name: "unknown reason", yaml: F.editedDefault("[damaged, not_as_described, quality]", "[damaged, broken]"),
            lineText: "broken", key: "reasons.evidence_required[1]", problem: "unknown reason broken"),
        Invalid(
            name: "unknown placeholder", yaml: F.editedDefault("{threshold} we approve", "{limit} we approve"),
            lineText: "{limit}", key: "rules[5].say", problem: "unknown placeholder {limit}"),
        Invalid(
            name: "rate above 100%", yaml: F.editedDefault("high_refund_rate_bps: 5000", "high_refund_rate_bps: 50000"),
            lineText: "high_refund_rate_bps", key: "thresholds.high_refund_rate_bps", problem: "up to 10000"),
        Invalid(
            name: "bad currency", yaml: F.editedDefault("    CNY: 100000", "    yuan: 100000"),
            lineText: "yuan", key: "thresholds.seller_review_above.yuan", problem: "ISO currency code"),
        Invalid(
            name: "duplicate key", yaml: F.editedDefault("  T_seller: 48h", "  T_seller: 48h\n  T_seller: 24h"),
            lineText: nil, key: "T_seller", problem: "duplicate key"),
        Invalid(
            name: "missing key", yaml: F.editedDefault("default:\n  outcome: seller_review\n", "default:\n"),
            lineText: "default:", key: "default", problem: "missing key outcome"),
        Invalid(
            name: "missing rules", yaml: F.editedDefault("rules:", "rulez:"),
            lineText: "rulez:", key: "rulez", problem: "unknown key rulez"),
        Invalid(
            name: "unknown window start", yaml: F.editedDefault("  no_reason_window: 7d", "  no_reason_window: 7d\n  no_reason_window_from: payment"),
            lineText: "no_reason_window_from", key: "thresholds.no_reason_window_from", problem: "unknown window start payment"),
        Invalid(name: "empty file", yaml: "# nothing\n", lineText: nil, key: "", problem: "empty"),
    ]

    @Test(arguments: invalid)
    func anInvalidPolicyIsRefusedNamingTheLineAndKey(_ example: Invalid) {
        do {
            let policy = try ReviewPolicy.load(yaml: example.yaml)
            Issue.record("loaded \(policy.version)")
        } catch {
            if let text = example.lineText {
                #expect(error.line == F.line(of: text, in: example.yaml + "\n"), "\(error)")
                #expect(error.description.contains("line \(F.line(of: text, in: example.yaml + "\n"))"))
            }
            #expect(example.key.isEmpty ? error.key.isEmpty : error.key.contains(example.key), "\(error)")
            #expect(error.problem.contains(example.problem), "\(error)")
        }
    }

    @Test func durationsParseAndPrint() {
        #expect(PolicyDuration(parsing: "48h")?.seconds == 172_800)
        #expect(PolicyDuration(parsing: "7d")?.seconds == 604_800)
        #expect(PolicyDuration(parsing: "90s")?.seconds == 90)
        #expect(PolicyDuration(parsing: "30m")?.seconds == 1800)
        for bad in ["-1d", "7", "d", "1.5h", "7w", "", "99999999999999999d"] {
            #expect(PolicyDuration(parsing: bad) == nil, "\(bad)")
        }
        #expect(PolicyDuration(seconds: 172_800).description == "48h")
        #expect(PolicyDuration(seconds: 604_800).description == "7d")
        #expect(PolicyDuration(seconds: 96 * 3600).description == "4d")
        #expect(PolicyDuration(seconds: 90).description == "90s")
    }
}
