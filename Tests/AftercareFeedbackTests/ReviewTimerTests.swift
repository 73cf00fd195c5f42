import AftercareFeedback
import AftercareTesting
import Testing

/// T_review as a value: 15 days, paused and resumed with the time it had left.
@Suite("Review timer")
struct ReviewTimerTests {

    @Test("due 15 days after delivery; a pause of 4 days moves it 4 days later; paused it is never due")
    func pauseAndResume() {
        var timer = ReviewTimer.started(deliveredAtMicros: 10 * Micros.day)
        #expect(timer.deadlineMicros == 25 * Micros.day)
        #expect(!timer.isDue(atMicros: 25 * Micros.day - 1) && timer.isDue(atMicros: 25 * Micros.day))
        timer.pause(atMicros: 12 * Micros.day)
        timer.pause(atMicros: 13 * Micros.day)  // a second case: still paused from the first
        #expect(!timer.isDue(atMicros: 100 * Micros.day))
        timer.resume(atMicros: 16 * Micros.day)
        #expect(timer == ReviewTimer(deadlineMicros: 29 * Micros.day, pausedAtMicros: nil))
        timer.resume(atMicros: 17 * Micros.day)  // not paused: nothing moves
        #expect(timer.deadlineMicros == 29 * Micros.day)
    }
}
