import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC
import Testing

@testable import AftercareCLI

/// The CLI's tables and timelines at the widths terminals have: no line wider than the width,
/// every status, result and message whole, every bar in line with its attempt.
@Suite("The CLI fits its width")
struct CLIWidthTests {
    static let widths = [60, 80, 100, 120, 200]
    static let plain = Style(colour: false)

    /// The text with every run of spaces and line breaks as one space: what a wrap may not change.
    static func words(_ lines: [String]) -> String {
        lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    static func expectFits(_ lines: [String], _ width: Int, _ what: String) {
        for line in lines {
            #expect(TextFit.width(line) <= width, "\(what) at \(width): \(TextFit.width(line)) columns: \(line)")
        }
    }

    @Test("saga show: scenario 1, scenario 3 compensated, a stuck saga's failed attempts", arguments: widths)
    func sagaShow(width: Int) {
        for (view, trace) in [CLIFixtures.lostRefund, CLIFixtures.declinedRefund, CLIFixtures.stuckCommit] {
            let timeline = SagaTimeline(view, trace: trace, now: view.saga.updatedAtUnixMicros)
            let lines = timeline.lines(style: Self.plain, width: width)
            let what = view.saga.sagaID
            Self.expectFits(lines, width, what)
            let words = Self.words(lines)
            for attempt in view.attempts {
                #expect(words.contains(" \(attempt.result) "), "\(what) at \(width): result \(attempt.result)")
                if attempt.statusCode != 0 {
                    let status = RPCError.Code(wire: UInt16(attempt.statusCode)).description
                    #expect(lines.contains { $0.split(separator: " ").contains(Substring(status)) }, "\(what) at \(width): status \(status)")
                }
                if attempt.result != "ok" { #expect(words.contains(attempt.message), "\(what) at \(width): message \(attempt.message)") }
            }
            for event in view.events where !event.reason.isEmpty { #expect(words.contains(event.reason), "\(what) at \(width): \(event.reason)") }
            Self.expectBarsInLine(lines, view, width: width)
        }
    }

    /// One bar per attempt and span, all starting and ending in the same columns; each attempt's
    /// bar on its row (or, as a card, under it), and later attempts' bars no earlier.
    static func expectBarsInLine(_ lines: [String], _ view: Aftercare_Gateway_V1_SagaView, width: Int) {
        let what = "\(view.saga.sagaID) at \(width)"
        let bars = lines.indices.filter { lines[$0].contains("│") }
        let spans = lines.filter { $0.contains("span ") && !$0.contains("spans ") }.count
        #expect(bars.count == view.attempts.count + spans, "\(what): \(bars.count) bars")
        let starts = Set(bars.map { lines[$0].distance(from: lines[$0].startIndex, to: lines[$0].firstIndex(of: "│")!) })
        let ends = Set(bars.map { lines[$0].count })
        #expect(starts.count == 1 && ends.count == 1, "\(what): bars start in columns \(starts), end in \(ends)")
        let cards = lines.contains { $0.hasPrefix("  timeline: ") } && !lines.contains { $0.contains("STEP / ATTEMPT") }
        // What a bar stands for: its own row, or as a card the lines since the bar before it.
        let rows = bars.enumerated().map { number, index in
            cards ? lines[(number == 0 ? lines.firstIndex { $0.hasPrefix("  timeline: ") }! + 1 : bars[number - 1] + 1)..<index].joined(separator: " ") : lines[index]
        }
        let attemptBars = bars.indices.filter { !rows[$0].contains("span ") }
        #expect(attemptBars.count == view.attempts.count, "\(what): \(attemptBars.count) attempt bars")
        var lastStart = -1
        for (attempt, number) in zip(view.attempts, attemptBars) {
            let words = rows[number].split(separator: " ")
            #expect(words.contains("\(attempt.kind)") && words.contains("\(attempt.attempt)") && words.contains(Substring(attempt.result)), "\(what): \(rows[number])")
            let bar = lines[bars[number]]
            let start = bar.distance(from: bar.startIndex, to: bar.firstIndex { $0 == "█" || $0 == "·" }!)
            #expect(start >= lastStart, "\(what): \(attempt.step) \(attempt.kind) \(attempt.attempt) drawn before the attempt before it")
            lastStart = start
        }
    }

    @Test("the timeline takes what the columns leave, states its scale, and is a card below a row's width")
    func timelineScale() {
        let (view, trace) = CLIFixtures.lostRefund
        let timeline = SagaTimeline(view, trace: trace, now: view.saga.updatedAtUnixMicros)
        let wide = timeline.lines(style: Self.plain, width: 200)
        #expect(wide.contains { $0.contains("TIMELINE: 0 to 5.17 s, 1 cell = ") })
        #expect(wide.contains { $0.contains("span aftercare-orders Orders/ReserveRefund") })
        let narrow = timeline.lines(style: Self.plain, width: 100)
        #expect(narrow.contains { $0.contains("STEP / ATTEMPT") })
        #expect(narrow.contains { $0.contains("0 to 5.17 s, 1 cell = ") })
        let bar = { (lines: [String]) in lines.first { $0.contains("│") }.map { $0.split(separator: "│", omittingEmptySubsequences: false)[1].count } ?? 0 }
        #expect(bar(wide) > bar(narrow) && bar(narrow) >= TimelineAxis.minimumCells)
        let card = timeline.lines(style: Self.plain, width: 60)
        #expect(!card.contains { $0.contains("STEP / ATTEMPT") } && card.contains { $0.hasPrefix("  timeline: 0 to 5.17 s, 1 cell = ") })
        #expect(card.contains { $0.hasPrefix("    call 1  unknown  DEADLINE_EXCEEDED") })
    }

    @Test("case show: history, the decision's rules, the sagas on one timeline", arguments: widths)
    func caseShow(width: Int) {
        let (view, sagas) = CLIFixtures.declinedCase
        let lines = CaseText.lines(view, sagas: sagas, style: Self.plain, width: width)
        Self.expectFits(lines, width, "case show")
        let words = Self.words(lines)
        for line in view.decision.explanation.split(separator: "\n") {
            #expect(words.contains(Self.words([String(line)])), "at \(width): \(line)")
        }
        for entry in view.history {
            #expect(words.contains(" \(entry.event) "), "at \(width): \(entry.event)")
            #expect(words.contains(entry.toState), "at \(width): \(entry.toState)")
        }
        for saga in sagas {
            #expect(words.contains(String(saga.saga.sagaID.suffix(8))), "at \(width): \(saga.saga.sagaID)")
            #expect(words.contains(" \(saga.saga.state) "), "at \(width): \(saga.saga.state)")
        }
    }

    @Test("saga list: ids elided in the middle, reasons wrapped", arguments: widths)
    func sagaList(width: Int) {
        let sagas = CLIFixtures.summaries
        let lines = SagaList.lines(sagas, now: CLIFixtures.t0 + 60_000_000, style: Self.plain, width: width)
        Self.expectFits(lines, width, "saga list")
        let words = Self.words(lines)
        for saga in sagas {
            #expect(words.contains(" \(saga.state) ") && words.contains(saga.reason), "at \(width): \(saga.state) \(saga.reason)")
            #expect(words.contains(String(saga.sagaID.suffix(8))), "at \(width): \(saga.sagaID)")
        }
    }

    @Test("wrapping breaks between words; eliding keeps an id's tail")
    func textFit() {
        #expect(TextFit.wrap("the call did not finish within its deadline", width: 20, first: "  ", rest: "    ") == ["  the call did not", "    finish within", "    its deadline"])
        #expect(TextFit.wrap("DEADLINE_EXCEEDED", width: 10) == ["DEADLINE_E", "XCEEDED"], "only a word wider than the line is broken")
        #expect(TextFit.elide("refund-evt_01M8TCWT8HGWWH4R7XA4JHDPSA", to: 16) == "refun…7XA4JHDPSA")
        #expect(TextFit.width("\u{1B}[31mrefused\u{1B}[0m") == 7)
        #expect(TerminalWidth.resolve(72) == 72 && TerminalWidth.resolve(10) == TerminalWidth.minimum)
    }

    @Test("saga watch to a pipe: a line per change")
    func watchChanges() {
        let (view, _) = CLIFixtures.lostRefund
        var earlier = view
        earlier.attempts = Array(view.attempts.prefix(3))
        earlier.events = Array(view.events.prefix(1))
        earlier.saga.state = "running"
        earlier.saga.step = "refund"
        let first = SagaChanges.lines(from: nil, to: earlier)
        #expect(first.count == 1 + 3 + 1, "\(first)")
        let next = SagaChanges.lines(from: earlier, to: view)
        #expect(next.count == 1 + (view.attempts.count - 3) + 1, "\(next)")
        #expect(next.contains { $0.hasSuffix("refund query 1 queried_absent took 2.9 ms: the participant never received it") }, "\(next)")
        #expect(next.last?.hasSuffix("completed") == true)
    }
}
