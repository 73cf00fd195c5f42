import AftercareFeedback
import Testing

/// The review machine against hand-written tables of the moves docs/machines.md allows and
/// forbids ("Review of an order line").
@Suite("Review machine")
struct ReviewMachineTests {
    struct Move: Sendable, CustomTestStringConvertible {
        var event: ReviewEvent
        var from: ReviewStatus
        var to: ReviewStatus
        var testDescription: String { "\(self.event) from \(self.from)" }
    }

    static func s(
        _ review: ReviewState, reply: ReplyState = .none, followUp: FollowUpState = .none, appeal: AppealState = .none
    ) -> ReviewStatus {
        ReviewStatus(review, reply: reply, followUp: followUp, appeal: appeal)
    }

    /// Every legal move, written out by hand.
    static let legal: [Move] = [
        Move(event: .caseOpened, from: s(.eligible), to: s(.eligible)),
        Move(event: .lastCaseClosed, from: s(.eligible), to: s(.eligible)),
        Move(event: .submit, from: s(.eligible), to: s(.published)),
        Move(event: .timerFired, from: s(.eligible), to: s(.expired)),
        Move(event: .followUp, from: s(.published), to: s(.published, followUp: .added)),
        Move(
            event: .followUp, from: s(.published, reply: .replied, appeal: .upheld),
            to: s(.published, reply: .replied, followUp: .added, appeal: .upheld)),
        Move(event: .reply, from: s(.published), to: s(.published, reply: .replied)),
        Move(
            event: .reply, from: s(.published, followUp: .added, appeal: .appealed),
            to: s(.published, reply: .replied, followUp: .added, appeal: .appealed)),
        Move(event: .appeal, from: s(.published), to: s(.published, appeal: .appealed)),
        Move(event: .appeal, from: s(.published, reply: .replied), to: s(.published, reply: .replied, appeal: .appealed)),
        Move(event: .uphold, from: s(.published, appeal: .appealed), to: s(.published, appeal: .upheld)),
        Move(event: .overturn, from: s(.published, appeal: .appealed), to: s(.published, appeal: .overturned)),
        Move(event: .delete, from: s(.published), to: s(.removed)),
        Move(event: .delete, from: s(.published, reply: .replied, appeal: .upheld), to: s(.removed, reply: .replied, appeal: .upheld)),
    ]

    struct Refusal: Sendable, CustomTestStringConvertible {
        var event: ReviewEvent
        var from: ReviewStatus
        var testDescription: String { "\(self.event) from \(self.from)" }
    }

    /// Moves the machine must refuse, written out by hand.
    static let illegal: [Refusal] = [
        Refusal(event: .submit, from: s(.published)),
        Refusal(event: .submit, from: s(.expired)),
        Refusal(event: .submit, from: s(.removed)),
        Refusal(event: .timerFired, from: s(.published)),
        Refusal(event: .timerFired, from: s(.expired)),
        Refusal(event: .caseOpened, from: s(.expired)),
        Refusal(event: .lastCaseClosed, from: s(.removed)),
        Refusal(event: .followUp, from: s(.eligible)),
        Refusal(event: .followUp, from: s(.published, followUp: .added)),
        Refusal(event: .followUp, from: s(.removed)),
        Refusal(event: .reply, from: s(.eligible)),
        Refusal(event: .reply, from: s(.published, reply: .replied)),
        Refusal(event: .reply, from: s(.expired)),
        Refusal(event: .appeal, from: s(.eligible)),
        Refusal(event: .appeal, from: s(.published, appeal: .appealed)),
        Refusal(event: .appeal, from: s(.published, appeal: .upheld)),
        Refusal(event: .appeal, from: s(.published, appeal: .overturned)),
        Refusal(event: .uphold, from: s(.published)),
        Refusal(event: .uphold, from: s(.published, appeal: .upheld)),
        Refusal(event: .uphold, from: s(.removed, appeal: .appealed)),
        Refusal(event: .overturn, from: s(.published, appeal: .overturned)),
        Refusal(event: .overturn, from: s(.published, appeal: .upheld)),
        Refusal(event: .delete, from: s(.eligible)),
        Refusal(event: .delete, from: s(.removed)),
        Refusal(event: .delete, from: s(.expired)),
    ]

    @Test("every legal move leads where the table says", arguments: legal)
    func legalMove(_ move: Move) throws {
        #expect(try ReviewMachine.apply(move.event, to: move.from) == move.to)
    }

    @Test("every illegal move is refused, naming the event and the state", arguments: illegal)
    func illegalMove(_ refusal: Refusal) {
        let error = #expect(throws: ReviewMachineError.self) { try ReviewMachine.apply(refusal.event, to: refusal.from) }
        #expect(error?.status == refusal.from)
        #expect(error?.description.contains("\(refusal.event.rawValue) is not allowed when the review is \(refusal.from.review)") == true)
    }

    @Test("the hand-written legal table exercises every row of the machine's table, and nothing else is legal")
    func tableCoverage() {
        for transition in ReviewMachine.transitions {
            #expect(Self.legal.contains { $0.event == transition.event && $0.from.review == transition.from }, "\(transition)")
        }
        // Over every status and event: what the machine allows starts from an (event, state) pair
        // of the hand-written table, and never leaves a final state.
        let pairs = Set(Self.legal.map { "\($0.event)/\($0.from.review)" })
        for review in ReviewState.allCases {
            for reply in ReplyState.allCases {
                for followUp in FollowUpState.allCases {
                    for appeal in AppealState.allCases {
                        let status = ReviewStatus(review, reply: reply, followUp: followUp, appeal: appeal)
                        for event in ReviewEvent.allCases {
                            guard (try? ReviewMachine.apply(event, to: status)) != nil else { continue }
                            #expect(pairs.contains("\(event)/\(review)") && !review.isFinal, "\(event) from \(status)")
                        }
                    }
                }
            }
        }
    }
}
