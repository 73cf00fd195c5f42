/// A saga's attempts laid out for a width. In columns when a row fits with a timeline of at least
/// 12 cells (span labels lose their service, then their middle, first); otherwise each attempt and
/// span is a two-line card: its words, then its bar. Results, statuses and messages are never cut:
/// messages wrap indented under their row. Every bar starts in the same column.
struct SagaTimelineLayout {
    let items: [SagaTimelineItem]
    let start: Int64
    let end: Int64
    let style: Style
    let width: Int

    /// A bar this long lets span labels keep their service.
    static let comfortableCells = 40

    /// The lines, none wider than `width`.
    func lines() -> [String] {
        let rows = self.items.compactMap { item -> SagaTimelineItem.Row? in
            switch item {
            case .attempt(let row, _), .span(let row): row
            case .section: nil
            }
        }
        func widest(_ header: String, _ cells: [String]) -> Int { max(header.count, cells.map(\.count).max() ?? 0) }
        let result = widest("RESULT", rows.map(\.result))
        let status = widest("STATUS", rows.map(\.status))
        let backoff = widest("BACK-OFF", rows.map(\.backoff))
        let took = widest("TOOK", rows.map(\.took))
        // The indent, the four columns after the label, the gaps and the bar's two ends.
        let fixed = 2 + result + status + backoff + took + 5 * 2 + 2
        let attempts = max("STEP / ATTEMPT".count, rows.filter { !$0.isSpan }.map { 2 + $0.label.count }.max() ?? 0)
        // A span's label runs on into the result column, which spans leave empty.
        func label(_ compact: Bool) -> Int {
            max(attempts, rows.filter(\.isSpan).map { 4 + (compact ? $0.compactLabel : $0.label).count - 2 - result }.max() ?? 0)
        }
        let columns: Columns
        if self.width - fixed - label(false) >= Self.comfortableCells {
            columns = Columns(label: label(false), result: result, status: status, backoff: backoff, took: took, compact: false)
        } else if self.width - fixed - attempts >= TimelineAxis.minimumCells {
            columns = Columns(
                label: min(label(true), self.width - fixed - TimelineAxis.minimumCells), result: result, status: status, backoff: backoff, took: took, compact: true)
        } else {
            return self.cards()
        }
        return self.table(columns, cells: self.width - fixed - columns.label)
    }

    /// The widths of the columns before the timeline, and which span labels they show.
    struct Columns {
        var label, result, status, backoff, took: Int
        var compact: Bool
    }

    private func table(_ columns: Columns, cells: Int) -> [String] {
        let axis = TimelineAxis(start: self.start, end: self.end, cells: cells)
        let span = "0 to \(Formatting.duration(self.end - self.start))"
        let full = "TIMELINE: \(span), \(axis.scale)"
        let title = [full, "TIMELINE: \(span)", "TIMELINE"].first { $0.count <= cells + 2 } ?? ""
        var out = title == full ? [] : ["  timeline: \(span), \(axis.scale)"]
        func row(_ label: String, _ result: String, _ status: String, _ backoff: String, _ took: String, _ bar: String, labelWidth: Int? = nil) -> String {
            let cells: [String?] = [
                TextFit.pad(label, labelWidth ?? columns.label), labelWidth == nil ? TextFit.pad(result, columns.result) : nil,
                TextFit.pad(status, columns.status), TextFit.pad(backoff, columns.backoff), TextFit.pad(took, columns.took), bar,
            ]
            return TextFit.trimmed("  " + cells.compactMap { $0 }.joined(separator: "  "))
        }
        out.append(self.style.bold(row("STEP / ATTEMPT", "RESULT", "STATUS", "BACK-OFF", "TOOK", title)))
        for item in self.items {
            switch item {
            case .section(let text):
                out += TextFit.wrap(text, width: self.width, first: "  ", rest: "      ")
            case .attempt(let attempt, let message):
                out.append(row("  " + attempt.label, self.style.outcome(attempt.result), attempt.status, attempt.backoff, attempt.took, self.bar(attempt, axis)))
                if !message.isEmpty { out += TextFit.wrap(self.style.dim(message), width: self.width, first: "      ", rest: "      ") }
            case .span(let span):
                let room = columns.label + 2 + columns.result
                let label = "    " + TextFit.elide(columns.compact ? span.compactLabel : span.label, to: room - 4)
                out.append(row(self.style.cyan(label), "", span.status, "", span.took, self.bar(span, axis), labelWidth: room))
            }
        }
        return out
    }

    /// Each attempt and span as two lines: its words, wrapped, then its bar, every bar four
    /// columns in.
    private func cards() -> [String] {
        let axis = TimelineAxis(start: self.start, end: self.end, cells: self.width - 6)
        var out = ["  timeline: 0 to \(Formatting.duration(self.end - self.start)), \(axis.scale)"]
        for item in self.items {
            switch item {
            case .section(let text):
                out += TextFit.wrap(text, width: self.width, first: "  ", rest: "      ")
            case .attempt(let attempt, let message):
                let words = [
                    TextFit.unbroken(attempt.label), self.style.outcome(attempt.result), attempt.status,
                    TextFit.unbroken("back-off \(attempt.backoff)"), TextFit.unbroken("took \(attempt.took)"),
                ]
                out += TextFit.wrap(words.filter { !$0.isEmpty }.joined(separator: "  "), width: self.width, first: "    ", rest: "      ")
                out.append("    " + self.bar(attempt, axis))
                if !message.isEmpty { out += TextFit.wrap(self.style.dim(message), width: self.width, first: "      ", rest: "      ") }
            case .span(let span):
                let words = "\(span.compactLabel)  \(span.status)  \(TextFit.unbroken("took \(span.took)"))"
                out += TextFit.wrap(self.style.cyan(words), width: self.width, first: "      ", rest: "        ")
                out.append("    " + self.bar(span, axis))
            }
        }
        return out
    }

    private func bar(_ row: SagaTimelineItem.Row, _ axis: TimelineAxis) -> String {
        axis.bar(from: row.from, to: row.to, waitedFrom: row.waitedFrom, fill: row.fill)
    }
}
