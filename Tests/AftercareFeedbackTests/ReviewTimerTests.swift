import AftercareFeedback
import Testing

/// T_review as a value: 15 days, paused and resumed with the time it had left.
@Suite("Review timer")
struct ReviewTimerTests {
    static let day: Int64 = 86_400_000_000

    @Test("due 15 days after delivery; a pause of 4 days moves it 4 days later; paused it is never due")
    func pauseAndResume() {
        var timer = ReviewTimer.started(deliveredAtMicros: 10 * Self.day)
        #expect(timer.deadlineMicros == 25 * Self.day)
        #expect(!timer.isDue(atMicros: 25 * Self.day - 1) && timer.isDue(atMicros: 25 * Self.day))
        timer.pause(atMicros: 12 * Self.day)
        timer.pause(atMicros: 13 * Self.day)  // a second case: still paused from the first
        #expect(!timer.isDue(atMicros: 100 * Self.day))
        timer.resume(atMicros: 16 * Self.day)
        #expect(timer == ReviewTimer(deadlineMicros: 29 * Self.day, pausedAtMicros: nil))
        timer.resume(atMicros: 17 * Self.day)  // not paused: nothing moves
        #expect(timer.deadlineMicros == 29 * Self.day)
    }
}
