public import Logging

extension SQLConnection {
    /// Logs `message` through `logger` once this transaction has committed (``afterCommit(_:)``):
    /// never for a write that rolled back, nor twice for a transaction PostgreSQL ran again.
    public func logCommitted(_ logger: Logger?, _ message: Logger.Message, level: Logger.Level = .info, metadata: Logger.Metadata) {
        guard let logger else { return }
        self.afterCommit { logger.log(level: level, message, metadata: metadata) }
    }
}
