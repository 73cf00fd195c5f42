import AftercareAftersalesAPI
import AftercareGateway
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Every process serves `/metrics` (`--metrics-listen`); a scrape before and after one refund is
    /// parsed by Python's `prometheus_client`, and the counters moved by exactly what the refund did.
    @Suite("Metrics")
    struct MetricsScrapeTests {
        static let processes = GatewayWorld.serviceNames + ["gateway"]

        @Test("one refund-only case: the calls of each step per method on both sides, one Refund saga started and completed, one refund paid; a caller orders' allow-list refuses is counted as refused")
        func refundMovesTheCounters() async throws {
            var ports: [String: Int] = [:]
            for name in Self.processes { ports[name] = try FreePort.next() }
            let urls = Self.processes.map { "http://127.0.0.1:\(ports[$0]!)/metrics" }
            var arguments = ports.mapValues { ["--metrics-listen", "127.0.0.1:\($0)"] }
            arguments["payments", default: []] += ["--log-format", "json"]
            try await GatewayWorld.run(arguments: arguments) { world in
                let order = try await world.paidOrder([("sku_mx1", 1, 16_800)])
                let before = try await Self.scrape(urls)
                // A caller orders does not admit: refused before it runs.
                try await world.process("orders").withClient(as: "intruder") { client in
                    try await expectStatus(.permissionDenied, containing: "may not call") {
                        _ = try await client.unary(OrdersMethods.getOrder, .with { $0.orderID = order.orderID })
                    }
                }
                let opened = try await world.apply(.refundOnly, order, reason: .other)
                let refunded = try await world.caseView(opened.record.caseID, while: ["APPROVED", "REFUNDING"])
                try #require(refunded.record.state == "REFUNDED")
                // The engine counts a saga's end just after it is stored, which the case view read.
                var after = try await Self.scrape(urls)
                for _ in 0..<200 where Self.delta(before, after, "gateway", "aftercare_saga_finished_total", [:]) < 1 {
                    try await Task.sleep(for: .milliseconds(25))
                    after = try await Self.scrape(urls)
                }
                func moved(_ process: String, _ name: String, _ labels: [String: String]) -> Double {
                    Self.delta(before, after, process, name, labels)
                }

                // The saga, in the gateway.
                #expect(moved("gateway", "aftercare_saga_started_total", ["kind": "Refund"]) == 1)
                #expect(moved("gateway", "aftercare_saga_started_total", [:]) == 1)
                #expect(moved("gateway", "aftercare_saga_finished_total", ["kind": "Refund", "state": "completed"]) == 1)
                #expect(moved("gateway", "aftercare_saga_finished_total", [:]) == 1)
                for step in ["reserve_refund", "record_refunding", "refund", "commit_refund", "record_refunded"] {
                    #expect(moved("gateway", "aftercare_saga_step_attempts_total", ["kind": "Refund", "step": step, "result": "ok"]) == 1, "\(step)")
                }
                #expect(moved("gateway", "aftercare_saga_step_attempts_total", [:]) == 5)

                // Each step's call: once from the gateway, once served by its participant, OK.
                let steps: [(String, String)] = [
                    ("orders", OrdersMethods.reserveRefund.fullName), ("aftersales", AftersalesMethods.recordRefunding.fullName),
                    ("payments", PaymentsMethods.refund.fullName), ("orders", OrdersMethods.commitRefund.fullName),
                    ("aftersales", AftersalesMethods.recordRefunded.fullName),
                ]
                for (participant, method) in steps {
                    #expect(moved("gateway", "aftercare_rpc_client_calls_total", ["service": "aftercare-gateway", "method": method, "code": "OK"]) == 1, "\(method)")
                    #expect(moved("gateway", "aftercare_rpc_client_calls_total", ["method": method]) == 1, "\(method)")
                    #expect(moved("gateway", "aftercare_rpc_client_duration_seconds_count", ["method": method]) == 1, "\(method)")
                    #expect(moved(participant, "aftercare_rpc_server_calls_total", ["service": "aftercare-\(participant)", "method": method, "code": "OK"]) == 1, "\(method)")
                    #expect(moved(participant, "aftercare_rpc_server_calls_total", ["method": method]) == 1, "\(method)")
                    #expect(moved(participant, "aftercare_rpc_server_duration_seconds_count", ["method": method]) == 1, "\(method)")
                    // Each step's call wrote its participant's database, at least once.
                    #expect(moved(participant, "aftercare_database_write_duration_seconds_count", [:]) >= 1, "\(participant)")
                }
                #expect(moved("orders", "aftercare_rpc_server_refused_total", ["service": "aftercare-orders", "code": "PERMISSION_DENIED"]) == 1)
                #expect(moved("orders", "aftercare_rpc_server_refused_total", [:]) == 1)
                #expect(Self.processes.filter { $0 != "orders" }.allSatisfy { moved($0, "aftercare_rpc_server_refused_total", [:]) == 0 })
                // The buyer's one application, served by the gateway.
                #expect(moved("gateway", "aftercare_rpc_server_calls_total", ["method": GatewayMethods.apply.fullName, "code": "OK"]) == 1)
                #expect(moved("gateway", "aftercare_rpc_server_calls_total", ["method": GatewayMethods.apply.fullName]) == 1)
                // One refund paid, by the order's provider; no other refund settled.
                #expect(moved("payments", "aftercare_payments_refunds_total", ["provider": "alipay", "outcome": "succeeded"]) == 1)
                #expect(moved("payments", "aftercare_payments_refunds_total", [:]) == 1)

                // Payments logs in JSON: the refund's settlement carries the saga's trace id and the
                // span id of the call that settled it.
                let traceID = try #require(refunded.sagas.first?.traceID)
                let records = try world.process("payments").log.split(separator: "\n").map { line in
                    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                }
                let settled = try #require(records.first { $0["message"] as? String == "refund settled" })
                #expect(settled["trace_id"] as? String == traceID)
                #expect((settled["span_id"] as? String)?.count == 16)
                #expect((settled["metadata"] as? [String: Any])?["saga.step"] as? String == "refund")

                // Each move of the case's state, as its history has it, counted once by aftersales.
                let moves = refunded.history.filter { $0.fromState != $0.toState && !$0.fromState.isEmpty }
                #expect(moves.count >= 3, "requested → approved → refunding → refunded at least")
                for move in Set(moves.map { [$0.fromState, $0.toState] }) {
                    let times = Double(moves.count { [$0.fromState, $0.toState] == move })
                    #expect(moved("aftersales", "aftercare_case_transitions_total", ["kind": "refund_only", "from": move[0], "to": move[1]]) == times, "\(move)")
                }
                #expect(moved("aftersales", "aftercare_case_transitions_total", [:]) == Double(moves.count))
                // The case is closed: it left the open cases' gauge, which counted it while it ran.
                #expect(after["aftersales"]?.value("aftercare_cases_open", ["state": "REFUNDED"]) == 0)
                #expect(after["aftersales"]?.value("aftercare_cases_open", [:]) == 0)
                // The one gateway holds every feed's lease and the reconciliation pass's.
                for work in EventRouter.sourceNames.map({ "feed:\($0)" }) + ["reconciliation"] {
                    #expect(after["gateway"]?.value("aftercare_work_lease_held", ["work": work]) == 1, "\(work)")
                }
                // No saga left running, none stuck, none backing off.
                #expect(after["gateway"]?.value("aftercare_sagas", [:]) == 0)
                #expect(after["gateway"]?.value("aftercare_sagas_backing_off", [:]) == 0)
                // Each service's feed gauge is its newest event, read between two reads of the feed.
                for process in GatewayWorld.serviceNames {
                    let first = try await Self.feedHead(world, process)
                    let scraped = try #require(try await MetricsScrape.scrape([urls[Self.processes.firstIndex(of: process)!]]).first)
                    let second = try await Self.feedHead(world, process)
                    #expect((first...second).contains(scraped.value("aftercare_feed_events")), "\(process)")
                }
                #expect(moved("aftersales", "aftercare_feed_events", [:]) >= Double(moves.count))
                // The gateway's router filed the case's news in the buyer's and the seller's inboxes.
                #expect(moved("gateway", "aftercare_inbox_deliveries_total", ["audience": "buyer"]) >= 1)
                #expect(moved("gateway", "aftercare_inbox_deliveries_total", ["audience": "seller"]) >= 1)

                // Every process holds connections open, and its histograms' buckets add up.
                for process in Self.processes {
                    let scrape = try #require(after[process])
                    #expect(scrape.value("aftercare_rpc_server_open_connections") >= 1, "\(process)")
                    #expect(scrape.value("aftercare_rpc_server_connections_total") >= 1, "\(process)")
                    // Bytes both ways on the server side of each process (the gateway follows every
                    // feed), and more of them during the refund where it called.
                    #expect(scrape.value("aftercare_rpc_server_received_bytes_total") > 0, "\(process)")
                    #expect(scrape.value("aftercare_rpc_server_sent_bytes_total") > 0, "\(process)")
                    if process == "gateway" || steps.contains(where: { $0.0 == process }) {
                        #expect(moved(process, "aftercare_rpc_server_received_bytes_total", [:]) > 0, "\(process)")
                        #expect(moved(process, "aftercare_rpc_server_sent_bytes_total", [:]) > 0, "\(process)")
                    }
                    if process == "gateway" {
                        #expect(scrape.value("aftercare_rpc_client_open_connections") >= Double(GatewayWorld.serviceNames.count))
                        #expect(moved(process, "aftercare_rpc_client_sent_bytes_total", [:]) > 0)
                        #expect(moved(process, "aftercare_rpc_client_received_bytes_total", [:]) > 0)
                    }
                    #expect(scrape.samples.allSatisfy { !$0.labels.keys.contains { $0.hasSuffix("_id") } }, "\(process): no ids in labels")
                }
            }
        }

        @Test("a Refund saga refused after its pivot: counted stuck with the refused attempt; resolved by an operator, counted resolved")
        func stuckThenResolved() async throws {
            let port = try FreePort.next()
            let url = "http://127.0.0.1:\(port)/metrics"
            try await GatewayWorld.run(arguments: ["gateway": ["--metrics-listen", "127.0.0.1:\(port)"]]) { world in
                try await StepRefusalTests.faults(world, "garble-request orders/CommitRefund #1")
                let stuck = try await CLITests.refundCase(world, sku: "sku_mx2", price: 3_000)
                let saga = try #require(stuck.sagas.last)
                #expect(saga.state == "stuck")
                func value(_ name: String, _ labels: [String: String]) async throws -> Double {
                    try await MetricsScrape.scrape([url])[0].value(name, labels)
                }
                #expect(try await value("aftercare_saga_finished_total", ["kind": "Refund", "state": "stuck"]) == 1)
                #expect(try await value("aftercare_saga_finished_total", [:]) == 1)
                #expect(try await value("aftercare_saga_step_attempts_total", ["kind": "Refund", "step": "commit_refund", "result": "refused"]) == 1)
                #expect(try await value("aftercare_saga_step_attempts_total", ["result": "ok"]) == 3)
                #expect(try await value("aftercare_sagas", ["kind": "Refund", "state": "stuck"]) == 1)

                let resolved = try await world.cli.call(OperationsMethods.resolveSaga, .with { $0.sagaID = saga.sagaID; $0.reason = "refunded by hand" })
                #expect(resolved.saga.state == "resolved")
                #expect(try await value("aftercare_saga_finished_total", ["kind": "Refund", "state": "resolved"]) == 1)
                #expect(try await value("aftercare_saga_finished_total", [:]) == 2)
                #expect(try await value("aftercare_saga_started_total", ["kind": "Refund"]) == 1)
                // Resolved, it is no longer stuck: the gauge counts it out.
                #expect(try await value("aftercare_sagas", ["kind": "Refund", "state": "stuck"]) == 0)
            }
        }

        @Test("a Refund saga whose participant is down: counted running and backing off while it waits, then neither once it completed")
        func backingOffWhileParticipantIsDown() async throws {
            let (port, aftersalesPort) = (try FreePort.next(), try FreePort.next())
            let url = "http://127.0.0.1:\(port)/metrics"
            let arguments = ["gateway": ["--metrics-listen", "127.0.0.1:\(port)"], "aftersales": ["--metrics-listen", "127.0.0.1:\(aftersalesPort)"]]
            try await GatewayWorld.run(arguments: arguments) { world in
                let order = try await world.paidOrder([("sku_mx3", 1, 2_500)])
                world.process("payments").kill()
                let opened = try await world.apply(.refundOnly, order, reason: .other)
                func scrape() async throws -> MetricsScrape { try await MetricsScrape.scrape([url])[0] }
                var waiting = try await scrape()
                for _ in 0..<200 where waiting.value("aftercare_sagas_backing_off", ["kind": "Refund"]) < 1 {
                    try await Task.sleep(for: .milliseconds(25))
                    waiting = try await scrape()
                }
                #expect(waiting.value("aftercare_sagas_backing_off", ["kind": "Refund"]) == 1)
                #expect(waiting.value("aftercare_sagas", ["kind": "Refund", "state": "running"]) == 1)
                #expect(waiting.value("aftercare_saga_step_attempts_total", ["step": "refund", "result": "not_executed"]) >= 1)
                // Aftersales counts the case open, in the state the saga's second step put it in.
                let cases = try await MetricsScrape.scrape(["http://127.0.0.1:\(aftersalesPort)/metrics"])[0]
                #expect(cases.value("aftercare_cases_open", ["kind": "refund_only", "state": "REFUNDING"]) == 1)
                #expect(cases.value("aftercare_cases_open", [:]) == 1)

                try await world.relaunch("payments")
                let refunded = try await world.caseView(opened.record.caseID, while: ["APPROVED", "REFUNDING"])
                #expect(refunded.record.state == "REFUNDED")
                var done = try await scrape()
                for _ in 0..<200 where done.value("aftercare_saga_finished_total", ["kind": "Refund"]) < 1 {
                    try await Task.sleep(for: .milliseconds(25))
                    done = try await scrape()
                }
                #expect(done.value("aftercare_sagas_backing_off", [:]) == 0)
                #expect(done.value("aftercare_sagas", ["kind": "Refund", "state": "running"]) == 0)
                #expect(done.value("aftercare_sagas", [:]) == 0)
            }
        }

        /// The newest event of `process`'s feed, read as the gateway reads it.
        static func feedHead(_ world: GatewayWorld, _ process: String) async throws -> Double {
            try await world.process(process).withClient(as: "gateway") { client in
                Double(try await client.unary(FeedMethods.readEvents, .with { $0.limit = 1 }).headSeq)
            }
        }

        /// One scrape of every process, by name.
        static func scrape(_ urls: [String]) async throws -> [String: MetricsScrape] {
            Dictionary(uniqueKeysWithValues: zip(Self.processes, try await MetricsScrape.scrape(urls)))
        }

        static func delta(_ before: [String: MetricsScrape], _ after: [String: MetricsScrape], _ process: String, _ name: String, _ labels: [String: String]) -> Double {
            (after[process]?.value(name, labels) ?? 0) - (before[process]?.value(name, labels) ?? 0)
        }
    }
}
