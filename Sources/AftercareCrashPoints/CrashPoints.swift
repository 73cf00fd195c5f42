import Glibc
package import Logging
import Synchronization

/// The process's armed crash point, if any, and the check every point makes.
///
/// Unarmed (always, outside test mode), ``reach(_:_:)`` costs one lock and builds no context.
/// Armed, the matching hit logs the point and its context at `critical` and SIGKILLs the process:
/// nothing after it runs, no buffer is flushed, no transaction commits.
package enum CrashPoints {
    private struct Armed {
        var spec: CrashSpec
        var seen: Int
        var logger: Logger
    }

    private static let state = Mutex<Armed?>(nil)

    /// Arms `spec` (replacing any armed one); its hits are counted from now.
    package static func arm(_ spec: CrashSpec, logger: Logger) {
        self.state.withLock { $0 = Armed(spec: spec, seen: 0, logger: logger) }
        logger.notice("crash point armed", metadata: ["crash.spec": "\(spec)"])
    }

    /// Disarms the armed point, if any.
    package static func disarm() {
        self.state.withLock { $0 = nil }
    }

    /// The armed spec, if any.
    package static var armed: CrashSpec? {
        self.state.withLock { $0?.spec }
    }

    /// Point `point` is reached with `context`: dies here if the armed spec says so.
    package static func reach(_ point: CrashPoint, _ context: @autoclosure () -> String) {
        let fire: Logger? = self.state.withLock { armed in
            guard var current = armed, current.spec.point == point else { return nil }
            let text = context()
            guard current.spec.matches(point, text) else { return nil }
            current.seen += 1
            armed = current
            guard current.seen == current.spec.hit else { return nil }
            var logger = current.logger
            logger[metadataKey: "crash.context"] = "\(text)"
            return logger
        }
        guard let logger = fire else { return }
        logger.critical("crash point reached; SIGKILL", metadata: ["crash.point": "\(point.name)"])
        self.die()
    }

    /// SIGKILL to this process; no thread runs on after it.
    private static func die() -> Never {
        kill(getpid(), SIGKILL)
        while true { pause() }
    }
}
