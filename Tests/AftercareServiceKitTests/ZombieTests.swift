import AftercareTesting
import Foundation
import Testing

/// What lets a test's teardown reap a child Foundation forgot: telling a zombie from a live or a
/// reaped process.
@Suite("Zombie processes")
struct ZombieTests {
    @Test("a child that ended and was not reaped is a zombie; once reaped, or while it runs, it is not")
    func zombie() async throws {
        var pid: pid_t = 0
        let arguments = ["/bin/sleep", "0.2"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        try #require(posix_spawn(&pid, "/bin/sleep", nil, nil, &argv, environ) == 0)
        #expect(!ServiceProcess.isZombie(pid))
        let deadline = ContinuousClock.now + .seconds(10)
        while !ServiceProcess.isZombie(pid), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(ServiceProcess.isZombie(pid))
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        #expect(!ServiceProcess.isZombie(pid))
    }
}
