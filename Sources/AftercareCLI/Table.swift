/// Rows printed in aligned columns, laid out for a width: columns that may shrink do (ids elided
/// in the middle, then text wrapped between words), a timeline column takes the columns left, and
/// when a row still cannot fit each row becomes a card of `name value` pairs. Text too long for
/// any column (a reason, a message) goes under its row.
struct Table {
    /// How a column gives way when the table is too wide.
    enum Fit {
        /// Never narrower than its widest cell: status codes, results, times.
        case keep
        /// Ids: shortened in the middle, keeping their start and distinctive tail.
        case elide
        /// Text: wrapped between words onto more lines of the row.
        case wrap
        /// Each row's interval on an axis from `start` to `end`, in every column left over; the
        /// header states what the axis spans (`title`) and its scale.
        case timeline(title: String, start: Int64, end: Int64)
        /// Not a column: the text wraps on lines of its own under the row, indented.
        case below

        var isBelow: Bool { if case .below = self { true } else { false } }
    }

    /// A column's name and how it fits.
    struct Column: ExpressibleByStringLiteral {
        var name: String
        var fit: Fit

        init(_ name: String, _ fit: Fit) {
            self.name = name
            self.fit = fit
        }

        init(stringLiteral name: String) {
            self.init(name, .keep)
        }

        static func elide(_ name: String) -> Self { Self(name, .elide) }
        static func wrap(_ name: String) -> Self { Self(name, .wrap) }
        static func below(_ name: String) -> Self { Self(name, .below) }
    }

    /// One cell: plain text, how it is painted once laid out, and for a timeline its interval.
    struct Cell {
        var text: String
        var paint: (String) -> String = { $0 }
        var interval: (from: Int64, to: Int64)?

        init(_ text: String, paint: @escaping (String) -> String = { $0 }) {
            self.text = text
            self.paint = paint
        }

        init(from: Int64, to: Int64) {
            self.text = ""
            self.interval = (from, to)
        }
    }

    /// Narrowest an elided or wrapped column becomes.
    static let narrowest = 10
    /// Elided columns first shrink to this, keeping ten characters of an id's tail, before text wraps.
    static let readable = 16

    var columns: [Column]
    var rows: [[Cell]] = []

    init(_ columns: Column...) {
        self.columns = columns
    }

    private init(columns: [Column], rows: [[Cell]]) {
        (self.columns, self.rows) = (columns, rows)
    }

    mutating func add(_ cells: String...) {
        self.rows.append(cells.map { Cell($0) })
    }

    mutating func add(cells: [Cell]) {
        self.rows.append(cells)
    }

    /// The lines, none wider than `width` columns: the header (bold) then each row.
    func lines(style: Style, width: Int) -> [String] {
        let inline = self.columns.indices.filter { !self.columns[$0].fit.isBelow }
        let table = Table(columns: inline.map { self.columns[$0] }, rows: self.rows.map { row in inline.map { $0 < row.count ? row[$0] : Cell("") } })
        let below = self.rows.map { row in
            self.columns.indices.filter { self.columns[$0].fit.isBelow && $0 < row.count && !row[$0].text.isEmpty }.flatMap { index in
                TextFit.wrap(row[index].text, width: width, first: "    ", rest: "    ").map(row[index].paint)
            }
        }
        guard let widths = table.widths(fitting: width) else {
            let scales = table.columns.compactMap { column -> String? in
                guard case .timeline(let title, let start, let end) = column.fit else { return nil }
                return "\(column.name.lowercased()): \(title), \(TimelineAxis(start: start, end: end, cells: width - 6).scale)"
            }
            return scales.flatMap { TextFit.wrap($0, width: width, rest: "    ") }
                + zip(table.rows, below).flatMap { row, below in table.card(row, style: style, width: width) + below }
        }
        var out: [String] = []
        let header = zip(table.columns, widths).map { column, columnWidth in
            guard case .timeline(let title, let start, let end) = column.fit else { return column.name }
            let scale = "\(title), \(TimelineAxis(start: start, end: end, cells: columnWidth - 2).scale)"
            if TextFit.width("\(column.name): \(scale)") <= columnWidth { return "\(column.name): \(scale)" }
            // Too long for the column: stated on a line above the table.
            out += TextFit.wrap("\(column.name.lowercased()): \(scale)", width: width, rest: "    ")
            return column.name
        }
        out.append(style.bold(Self.join(header.map { [$0] }, widths).joined()))
        for (row, below) in zip(table.rows, below) {
            out += Self.join(zip(zip(table.columns, widths), row).map { column, cell in Self.layout(cell, column.0.fit, column.1) }, widths) + below
        }
        return out
    }

    /// Each column's width when the row fits in `width`; `nil` when it cannot.
    private func widths(fitting width: Int) -> [Int]? {
        // Each column's width, then the narrower widths it may take in turn: ids to a readable
        // width, then text wrapped down to its longest word (at most 20), then ids to the narrowest.
        var widths: [Int] = []
        var stages: [[Int]] = [[], [], []]
        for (index, column) in self.columns.enumerated() {
            let cells = self.rows.map { index < $0.count ? $0[index].text : "" }
            let name = TextFit.width(column.name)
            let natural = max(name, cells.map(TextFit.width).max() ?? 0)
            var least = [natural, natural, natural]
            switch column.fit {
            case .keep: break
            case .elide:
                least = [min(natural, max(name, Self.readable)), min(natural, max(name, Self.readable)), min(natural, max(name, Self.narrowest))]
            case .wrap:
                let word = cells.flatMap { $0.split(separator: " ") }.map { TextFit.width(String($0)) }.max() ?? 0
                least[1] = min(natural, max(name, Self.narrowest, min(word, 20)))
                least[2] = least[1]
            case .timeline:
                least = Array(repeating: TimelineAxis.minimumCells + 2, count: 3)
            case .below:
                least = [0, 0, 0]
            }
            widths.append(max(natural, least[0]))
            for stage in stages.indices { stages[stage].append(least[stage]) }
        }
        let gaps = 2 * (self.columns.count - 1)
        for least in stages {
            while widths.reduce(gaps, +) > width {
                guard let widest = widths.indices.filter({ widths[$0] > least[$0] }).max(by: { widths[$0] - least[$0] < widths[$1] - least[$1] }) else { break }
                widths[widest] -= 1
            }
        }
        let total = widths.reduce(gaps, +)
        guard total <= width else { return nil }
        if let index = self.columns.firstIndex(where: { if case .timeline = $0.fit { true } else { false } }) { widths[index] += width - total }
        return widths
    }

    /// One cell in `width` columns: its lines, painted.
    private static func layout(_ cell: Cell, _ fit: Fit, _ width: Int) -> [String] {
        switch fit {
        case .keep: [cell.paint(cell.text)]
        case .elide: [cell.paint(TextFit.elide(cell.text, to: width))]
        case .wrap: TextFit.wrap(cell.text, width: width).map(cell.paint)
        case .timeline(_, let start, let end):
            [cell.interval.map { TimelineAxis(start: start, end: end, cells: width - 2).bar(from: $0.from, to: $0.to) } ?? ""]
        case .below: []
        }
    }

    /// Cells' lines side by side, each padded to its column's width and two spaces apart.
    private static func join(_ cells: [[String]], _ widths: [Int]) -> [String] {
        let height = cells.map(\.count).max() ?? 1
        return (0..<height).map { row in
            TextFit.trimmed(zip(cells, widths).map { lines, width in TextFit.pad(row < lines.count ? lines[row] : "", width) }.joined(separator: "  "))
        }
    }

    /// A row as a card: its first cell and `name value` pairs, wrapped, then its timeline on a line
    /// of its own.
    private func card(_ row: [Cell], style: Style, width: Int) -> [String] {
        var words: [String] = []
        var bars: [String] = []
        for (index, (column, cell)) in zip(self.columns, row).enumerated() {
            if case .timeline(_, let start, let end) = column.fit {
                if let interval = cell.interval { bars.append("    " + TimelineAxis(start: start, end: end, cells: width - 6).bar(from: interval.from, to: interval.to)) }
            } else if index == 0 {
                words.append(cell.paint(cell.text))
            } else if !cell.text.isEmpty {
                // What a column keeps on one line stays on one line of the card.
                let value = if case .wrap = column.fit { cell.text } else { TextFit.unbroken(cell.text) }
                words.append(TextFit.pair(style.dim(TextFit.unbroken(column.name.lowercased())), cell.paint(value)))
            }
        }
        return TextFit.wrap(words.joined(separator: "  "), width: width, rest: "    ") + bars
    }
}
