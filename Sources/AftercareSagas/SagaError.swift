/// What the engine's own API refuses (not a saga's failure, which is its state and reason).
public struct SagaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which kind of problem.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var description: String { self.name }

        /// No definition by that name.
        public static let unknownDefinition = Code(name: "unknown definition")
        /// No saga with that id.
        public static let unknownSaga = Code(name: "unknown saga")
        /// The operator action does not apply in the saga's state.
        public static let wrongState = Code(name: "wrong state")
        /// The saga names a participant the engine has no client for.
        public static let unknownParticipant = Code(name: "unknown participant")
        /// The log holds something this engine cannot read.
        public static let corruptLog = Code(name: "corrupt log")
        /// Two definitions share a name.
        public static let duplicateDefinition = Code(name: "duplicate definition")
        /// Another engine holds the saga's lease: this one let it expire, and must not write.
        public static let leaseLost = Code(name: "lease lost")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code): \(self.message)" }
}
