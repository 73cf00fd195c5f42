package import Logging

extension Logger {
    /// This logger with `entries` added to its metadata in one assignment. swift-log's stream
    /// handler formats all of its metadata again at each key set, so keys set one by one redo that
    /// work per key — for loggers made per call or per saga, a share of each service's CPU.
    package func adding(_ entries: Logger.Metadata) -> Logger {
        var logger = self
        logger.handler.metadata.merge(entries) { _, new in new }
        return logger
    }
}
