/// A time axis drawn in a number of terminal cells: `│··███   │`, with its scale in words.
struct TimelineAxis {
    let start: Int64
    let end: Int64
    /// Cells between the two `│`.
    let cells: Int

    /// The fewest cells a timeline is drawn in.
    static let minimumCells = 12

    init(start: Int64, end: Int64, cells: Int) {
        self.start = start
        self.end = max(end, start + 1)
        self.cells = max(Self.minimumCells, cells)
    }

    /// What one cell stands for: `1 cell = 129 ms`.
    var scale: String { "1 cell = \(Formatting.duration((self.end - self.start) / Int64(self.cells)))" }

    /// `from`…`to` as a solid bar of `fill`, the wait since `waitedFrom` as dots before it; the
    /// whole `cells + 2` columns wide.
    func bar(from: Int64, to: Int64, waitedFrom: Int64? = nil, fill: Character = "█") -> String {
        let first = self.column(from)
        let last = max(first, self.column(to))
        let waited = self.column(max(self.start, waitedFrom ?? from))
        var cells = Array(repeating: Character(" "), count: self.cells)
        for index in min(waited, first)..<first { cells[index] = "·" }
        for index in first...last { cells[index] = fill }
        return "│" + String(cells) + "│"
    }

    /// The cell `micros` falls in.
    private func column(_ micros: Int64) -> Int {
        let fraction = Double(micros - self.start) / Double(self.end - self.start)
        return min(self.cells - 1, max(0, Int((fraction * Double(self.cells)).rounded(.down))))
    }
}
