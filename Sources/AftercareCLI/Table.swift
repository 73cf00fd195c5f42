/// Rows printed in aligned columns; the widths ignore colour codes.
struct Table {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) {
        self.header = header
    }

    mutating func add(_ cells: String...) {
        self.rows.append(cells)
    }

    /// The lines: the header (bold) then each row, every column as wide as its widest cell.
    func lines(style: Style) -> [String] {
        var widths = self.header.map { Self.visibleWidth($0) }
        for row in self.rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], Self.visibleWidth(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (index, cell) in cells.enumerated() {
                let last = index == cells.count - 1
                out += last ? cell : cell + String(repeating: " ", count: max(0, widths[index] - Self.visibleWidth(cell)) + 2)
            }
            // A row whose last cells are empty ends at its last text.
            while out.last == " " { out.removeLast() }
            return out
        }
        return [style.bold(line(self.header))] + self.rows.map(line)
    }

    /// Characters a terminal shows: escape sequences (`ESC [ … m`) take none.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}
