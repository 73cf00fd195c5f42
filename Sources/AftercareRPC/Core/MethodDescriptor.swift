public import SwiftProtobuf

/// How a method answers.
public enum MethodKind: Sendable, Hashable {
    /// One request, one response.
    case unary
    /// One request, any number of responses, flow-controlled.
    case serverStreaming
}

/// A method of a service: its wire name and its message types.
public struct MethodDescriptor<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>: Sendable, Hashable {
    /// `<package>.<Service>/<Method>`, e.g. `aftercare.echo.v1.Echo/Say`.
    public var fullName: String
    public var kind: MethodKind

    public init(_ fullName: String, kind: MethodKind = .unary) {
        self.fullName = fullName
        self.kind = kind
    }
}
