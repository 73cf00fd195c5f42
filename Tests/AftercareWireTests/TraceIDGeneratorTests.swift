import AftercareWire
import Testing

@Suite("Trace and span ids")
struct TraceIDGeneratorTests {
    @Test("ids drawn at once from many tasks are all distinct and never zero")
    func distinctUnderConcurrency() async {
        let batches = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<5_000).map { _ in TraceIDGenerator.spanID() } }
            }
            return await group.reduce(into: [[UInt64]]()) { $0.append($1) }
        }
        let ids = batches.flatMap { $0 }
        #expect(ids.count == 40_000)
        #expect(Set(ids).count == ids.count)
        #expect(!ids.contains(0))
    }

    @Test("a random trace id is never zero, and its bits are spread (each bit set in roughly half of 4,096 ids)")
    func bitsAreSpread() {
        let ids = (0..<4_096).map { _ in TraceID.random() }
        #expect(!ids.contains { $0.isZero })
        for bit in 0..<64 {
            let high = ids.count { $0.high & (1 << UInt64(bit)) != 0 }
            let low = ids.count { $0.low & (1 << UInt64(bit)) != 0 }
            #expect((1_700...2_400).contains(high), "bit \(bit) of the high half set in \(high) of 4096")
            #expect((1_700...2_400).contains(low), "bit \(bit) of the low half set in \(low) of 4096")
        }
    }
}
