/// `log.format`: how a service writes its log to standard error.
package enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's text lines (the default).
    case text
    /// One JSON object per line (``JSONLogHandler``).
    case json
}
