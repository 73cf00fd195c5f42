package import AftercareRPC
package import AftercareWire
package import GRDB
package import SwiftProtobuf

// The ledgers' bodies for services whose code still speaks GRDB's `Database` rather than the
// database layer's `SQLConnection`: each runs on the layer's connection, which on SQLite is GRDB's
// own. Goes when the last such service is on the layer; a body given here on PostgreSQL fails
// with INTERNAL, naming the method, and changes nothing.

extension MutationLedger {
    /// ``once(_:request:withoutKey:nothingToUndo:_:)`` for a body written against GRDB.
    @_disfavoredOverload
    package func once<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ context: ServerContext,
        request: Request,
        withoutKey: WithoutKey = .refuse,
        nothingToUndo: @escaping @Sendable () -> Response = { Response() },
        _ body: @escaping @Sendable (Database) throws -> Response
    ) async throws -> Response {
        let method = context.method
        return try await self.once(context, request: request, withoutKey: withoutKey, nothingToUndo: nothingToUndo) { db in
            try body(try GRDBBody.connection(db, method: method))
        }
    }
}

extension StepLedger {
    /// ``run(_:method:nothingToUndo:_:)`` for a body written against GRDB.
    @_disfavoredOverload
    package func run<Response: SwiftProtobuf.Message>(
        _ saga: SagaContext,
        method: String,
        nothingToUndo: @escaping @Sendable () -> Response = { Response() },
        _ body: @escaping @Sendable (Database) throws -> Response
    ) async throws -> Response {
        try await self.run(saga, method: method, nothingToUndo: nothingToUndo) { db in
            try body(try GRDBBody.connection(db, method: method))
        }
    }
}

/// The GRDB connection under a layer connection, for a body that still speaks GRDB.
enum GRDBBody {
    static func connection(_ db: any SQLConnection, method: String) throws -> Database {
        guard let grdb = db as? Database else {
            throw RPCError(.internal, "\(method) is not on the database layer yet and cannot run on \(db.dialect)")
        }
        return grdb
    }
}
