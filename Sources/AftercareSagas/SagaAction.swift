public import AftercareRPC
import SwiftProtobuf

/// The call a saga step makes: a unary method on a named participant, its request built from the
/// saga's values and its response merged back into them.
///
/// The response is handled as serialized bytes, so a response the engine learns from the
/// participant's step ledger (`QueryStep` answering DONE) is absorbed exactly like a live one.
public struct SagaAction: Sendable {
    /// `<package>.<Service>/<Method>`.
    public let method: String
    /// The key of the participant's client in the engine's `participants`.
    public let participant: String
    let call: @Sendable (RPCClient, SagaValues, CallOptions) async throws -> [UInt8]
    let prepare: @Sendable (SagaValues) throws -> Void
    let absorb: @Sendable ([UInt8], inout SagaValues) throws -> Void

    /// A unary call of `method` on `participant`.
    ///
    /// - Parameters:
    ///   - method: the participant's method.
    ///   - participant: which client of the engine calls it.
    ///   - request: builds the request from the saga's values (the same values give the same request).
    ///   - output: merges what the response says into the saga's values.
    public static func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        on participant: String,
        request: @escaping @Sendable (SagaValues) throws -> Request,
        output: @escaping @Sendable (Response, inout SagaValues) -> Void = { _, _ in }
    ) -> SagaAction {
        .unary(method, on: participant, request: request, settledOutput: { response, values in output(response, &values) })
    }

    /// A unary call of `method` on `participant` whose answer may say the step is not settled yet
    /// (a refund still pending with its provider): `settledOutput` throws ``SagaStepPending``, and
    /// the engine treats the call as of unknown outcome — it asks the participant (`QueryStep`) and
    /// sends the same request again after a back-off, never moving on.
    ///
    /// - Parameters:
    ///   - method: the participant's method.
    ///   - participant: which client of the engine calls it.
    ///   - request: builds the request from the saga's values (the same values give the same request).
    ///   - output: the `settledOutput:` closure: merges a settled response into the saga's values, or throws ``SagaStepPending``.
    public static func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        on participant: String,
        request: @escaping @Sendable (SagaValues) throws -> Request,
        settledOutput output: @escaping @Sendable (Response, inout SagaValues) throws(SagaStepPending) -> Void
    ) -> SagaAction {
        SagaAction(
            method: method.fullName,
            participant: participant,
            call: { client, values, options in
                let response = try await client.unary(method, try request(values), options: options)
                return try response.serializedBytes()
            },
            prepare: { values in _ = try request(values) },
            absorb: { bytes, values in
                try output(try Response(serializedBytes: bytes), &values)
            })
    }
}

/// Thrown by a step's settled output: the participant answered, but the step's effect is not
/// settled yet (`reason` says why, for the saga's log).
public struct SagaStepPending: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "pending: \(self.reason)" }
}
