import Foundation
package import Logging

extension Logger {
    /// A logger for tests: quiet unless `AFTERCARE_TEST_LOG` names a level (e.g. `debug`).
    package static func test(_ label: String) -> Logger {
        guard let name = ProcessInfo.processInfo.environment["AFTERCARE_TEST_LOG"], let level = Logger.Level(rawValue: name) else {
            return Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
        }
        var logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }
}
