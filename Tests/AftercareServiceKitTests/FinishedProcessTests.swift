import AftercareTesting
import Foundation
import Testing

/// The harness's ``FinishedProcess``: a program run to its end, or killed at its time limit so a
/// test never waits for it forever.
@Suite("A program run to its end (test harness)")
struct FinishedProcessTests {
    @Test("its exit status, output and errors")
    func exits() async throws {
        let finished = try await FinishedProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(finished.status == 3)
        #expect(String(decoding: finished.output, as: UTF8.self) == "out\n")
        #expect(finished.errors == "err\n")
    }

    @Test("a program still running at its time limit is killed, and the run fails naming it and its errors so far")
    func killedAtItsLimit() async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: TestKitError.self) {
            _ = try await FinishedProcess.run("/bin/sh", ["-c", "echo stuck >&2; exec sleep 60"], limit: .milliseconds(500))
        }
        #expect(ContinuousClock.now - started < .seconds(20))
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("/bin/sh -c echo stuck >&2; exec sleep 60") && message.contains("killed") && message.contains("stuck"), "\(message)")
    }
}
