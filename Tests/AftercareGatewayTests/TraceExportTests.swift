import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import AftercareWire
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Every process exports its spans over OTLP/HTTP (`--tracing-otlp-endpoint`) to a receiver made
    /// of OpenTelemetry's own protobuf messages (`scripts/otlp-receiver.py`); one refund is one trace,
    /// shaped as docs/operations.md ("Traces") draws it.
    @Suite("Traces")
    struct TraceExportTests {
        /// A span as the receiver wrote it.
        struct ExportedSpan: Decodable {
            var service: String
            var trace_id: String
            var span_id: String
            var parent_span_id: String
            var name: String
            var kind: String
            var attributes: [String: AttributeValue]
        }

        /// An attribute's value: text or a whole number.
        enum AttributeValue: Decodable, Equatable {
            case text(String)
            case number(Int)

            init(from decoder: any Swift.Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Int.self) {
                    self = .number(number)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }

        @Test("one refund-only case is one trace: Apply's call to aftersales, and the saga, its steps, each step's client span and its participant's server span, parent by parent; the server spans' ids are the ones `aftercare trace` shows")
        func refundIsOneTrace() async throws {
            try await Self.withTracedWorld { world, received in
                let order = try await world.paidOrder([("sku_mx1", 1, 16_800)])
                let opened = try await world.apply(.refundOnly, order, reason: .other)
                let refunded = try await world.caseView(opened.record.caseID, while: ["APPROVED", "REFUNDING"])
                try #require(refunded.record.state == "REFUNDED")
                let saga = try #require(refunded.sagas.first)
                // Complete once the saga's span (the gateway's last) is in, and each call's server span.
                let spans = try await Self.spans(in: received, traceID: saga.traceID) { spans in
                    spans.contains { $0.name == "saga Refund" }
                        && spans.filter { $0.kind == "CLIENT" }.allSatisfy { call in spans.contains { $0.parent_span_id == call.span_id } }
                }
                try Self.checkTree(spans, sagaID: saga.sagaID)

                // The server spans' ids are the spans each service keeps for `aftercare trace`.
                let trace = try await world.cli.call(OperationsMethods.getTrace, .with { $0.traceID = saga.traceID }, key: nil)
                #expect(trace.services.allSatisfy { $0.error.isEmpty })
                let kept = Set(trace.services.flatMap(\.spans).map { "\($0.service) \($0.method) \($0.spanID) \($0.parentSpanID)" })
                for span in spans where span.kind == "SERVER" {
                    #expect(kept.contains("\(span.service) \(span.name) \(span.span_id) \(span.parent_span_id)"), "\(span.service) \(span.name)")
                }
            }
        }

        @Test("with tracing.sampleRatio 0.5 every process makes the same decision from the trace id: a refund whose trace is sampled is exported whole, one whose trace is not leaves no span anywhere")
        func samplingByTraceID() async throws {
            // Bytes 8…15 of the id, read little-endian as the sampler reads them: ending in 00, under
            // 2⁵⁶ (sampled at one half); ending in 80, at least 2⁶³ (not).
            let sampled = TraceID(high: TraceID.random().high, low: 0x0100_0000_0000_0000 | UInt64.random(in: 0...0xFF) << 8)
            let dropped = TraceID(high: TraceID.random().high, low: 0x0000_0000_0000_0080 | UInt64.random(in: 1...0xFFFF) << 16)
            try await Self.withTracedWorld(["--tracing-sample-ratio", "0.5"]) { world, received in
                var sagaIDs: [TraceID: String] = [:]
                for traceID in [dropped, sampled] {
                    let order = try await world.paidOrder([("sku_mx1", 1, 16_800)])
                    let buyer = world.buyer()
                    let opened = try await buyer.client.unary(
                        GatewayMethods.apply, GatewayWorld.application(.refundOnly, order, reason: .other, replacementSKU: ""),
                        options: CallOptions(
                            timeout: .seconds(20), traceParent: TraceParent(traceID: traceID, parentID: .random(in: 1...UInt64.max)),
                            idempotencyKey: UUID().uuidString, actor: buyer.actor))
                    let refunded = try await world.caseView(opened.record.caseID, while: ["APPROVED", "REFUNDING"])
                    try #require(refunded.record.state == "REFUNDED")
                    let saga = try #require(refunded.sagas.first)
                    #expect(saga.traceID == "\(traceID)", "the case's saga runs in the application's trace")
                    sagaIDs[traceID] = saga.sagaID
                }
                let spans = try await Self.spans(in: received, traceID: "\(sampled)") { spans in
                    spans.contains { $0.name == "saga Refund" }
                        && spans.filter { $0.kind == "CLIENT" }.allSatisfy { call in spans.contains { $0.parent_span_id == call.span_id } }
                }
                try Self.checkTree(spans, sagaID: try #require(sagaIDs[sampled]))
                // The dropped refund finished first; its spans, had any been made, left with the same batches.
                let text = (try? String(contentsOfFile: received, encoding: .utf8)) ?? ""
                #expect(!text.contains("\(dropped)"), "a span of the trace not sampled was exported")
            }
        }

        /// Runs the six executables exporting to a receiver of OpenTelemetry's protobuf messages
        /// (every 50 ms, and with `arguments` too), and `body` with the world and the file the
        /// receiver writes the spans to, one JSON object per line.
        static func withTracedWorld(
            _ arguments: [String] = [], _ body: @Sendable @escaping (GatewayWorld, String) async throws -> Void
        ) async throws {
            let port = try FreePort.next()
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let received = directory.appending("spans.jsonl")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let receiver = try await FinishedProcess.run(
                        "/usr/bin/env", ["python3", "\(RepositoryPaths.root)/scripts/otlp-receiver.py", "\(port)", received],
                        limit: .seconds(600))
                    #expect(receiver.status == 0, "\(receiver.errors)")
                }
                defer { _ = FileManager.default.createFile(atPath: received + ".stop", contents: nil) }
                for _ in 0..<400 where !FileManager.default.fileExists(atPath: received) { try await Task.sleep(for: .milliseconds(25)) }
                try #require(FileManager.default.fileExists(atPath: received), "the receiver did not start")
                let tracing = ["--tracing-otlp-endpoint", "http://127.0.0.1:\(port)", "--tracing-batch-delay-ms", "50"] + arguments
                try await GatewayWorld.run(arguments: Dictionary(uniqueKeysWithValues: MetricsScrapeTests.processes.map { ($0, tracing) })) { world in
                    try await body(world, received)
                }
            }
        }

        /// The tree under the saga and under Apply, exactly; every hop between processes a client
        /// span with the server's span under it.
        static func checkTree(_ spans: [ExportedSpan], sagaID: String) throws {
            let byID = Dictionary(spans.map { ($0.span_id, $0) }) { first, _ in first }
            func children(_ span: ExportedSpan) -> [ExportedSpan] { spans.filter { $0.parent_span_id == span.span_id } }

            let apply = try #require(spans.first { $0.name == GatewayMethods.apply.fullName })
            #expect(apply.service == "aftercare-gateway" && apply.kind == "SERVER")
            #expect(apply.attributes["rpc.system"] == .text("aftercare"))
            #expect(apply.attributes["rpc.method"] == .text("Apply"))
            #expect(apply.attributes["rpc.aftercare.status_code"] == .number(0))
            // Apply asks aftersales to open the case: a client span in the gateway, the server span in aftersales.
            let openCase = children(apply).filter { $0.name == AftersalesMethods.openCase.fullName }
            #expect(openCase.map { "\($0.service) \($0.kind)" } == ["aftercare-gateway CLIENT"])
            let opened = openCase.flatMap(children)
            #expect(opened.map { "\($0.service) \($0.kind) \($0.name)" } == ["aftercare-aftersales SERVER \(AftersalesMethods.openCase.fullName)"])

            // The saga: a span in the gateway, a child of the call that wrote the event which started
            // it — aftersales' OpenCase, which approved the case at once.
            let sagas = spans.filter { $0.name.hasPrefix("saga ") }
            try #require(sagas.count == 1, "\(sagas.map(\.name))")
            let saga = sagas[0]
            #expect(saga.name == "saga Refund" && saga.service == "aftercare-gateway" && saga.kind == "INTERNAL")
            #expect(saga.attributes["aftercare.saga.id"] == .text(sagaID))
            #expect(saga.attributes["aftercare.saga.state"] == .text("completed"))
            #expect(saga.parent_span_id == opened.first?.span_id)
            // Its steps, in order, each one attempt with one call, served by its participant.
            let steps: [(String, String, String)] = [
                ("reserve_refund", "aftercare-orders", OrdersMethods.reserveRefund.fullName),
                ("record_refunding", "aftercare-aftersales", AftersalesMethods.recordRefunding.fullName),
                ("refund", "aftercare-payments", PaymentsMethods.refund.fullName),
                ("commit_refund", "aftercare-orders", OrdersMethods.commitRefund.fullName),
                ("record_refunded", "aftercare-aftersales", AftersalesMethods.recordRefunded.fullName),
            ]
            let attempts = children(saga)
            #expect(Set(attempts.map(\.name)) == Set(steps.map { "step \($0.0)/forward" }) && attempts.count == steps.count)
            for (step, participant, method) in steps {
                let attempt = try #require(attempts.first { $0.name == "step \(step)/forward" })
                #expect(attempt.service == "aftercare-gateway" && attempt.kind == "INTERNAL", "\(step)")
                #expect(attempt.attributes["aftercare.saga.step"] == .text(step) && attempt.attributes["aftercare.saga.attempt"] == .number(1), "\(step)")
                let calls = children(attempt)
                #expect(calls.map { "\($0.service) \($0.kind) \($0.name)" } == ["aftercare-gateway CLIENT \(method)"], "\(step)")
                let served = calls.flatMap(children)
                #expect(served.map { "\($0.service) \($0.kind) \($0.name)" } == ["\(participant) SERVER \(method)"], "\(step)")
                #expect(served.first?.attributes["aftercare.saga.id"] == .text(sagaID), "\(step)")
            }
            // Every server span but Apply's (its caller, the test, traces nothing) is a client span's child.
            for span in spans where span.kind == "SERVER" && span.span_id != apply.span_id {
                #expect(byID[span.parent_span_id]?.kind == "CLIENT", "\(span.service) \(span.name)")
            }
        }

        /// The spans of trace `traceID` the receiver has written, once `complete` holds for them
        /// (within 20 seconds).
        static func spans(in file: String, traceID: String, until complete: ([ExportedSpan]) -> Bool) async throws -> [ExportedSpan] {
            var spans: [ExportedSpan] = []
            for _ in 0..<800 {
                let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
                // Whole lines only: the receiver may be writing the last one.
                let written = text.lastIndex(of: "\n").map { text[..<$0] } ?? ""
                spans = try written.split(separator: "\n").map { try JSONDecoder().decode(ExportedSpan.self, from: Data($0.utf8)) }.filter { $0.trace_id == traceID }
                if complete(spans) { return spans }
                try await Task.sleep(for: .milliseconds(25))
            }
            Issue.record("the trace never completed: \(spans.map { "\($0.service) \($0.kind) \($0.name)" })")
            return spans
        }
    }
}
