import AftercareWire
import OTel
import Testing
import Tracing

@testable import AftercareRPC

/// Sampling by trace id, the same decision in every process, and the W3C text a span's ids cross
/// the tracer in.
@Suite("Call tracing")
struct CallTracingTests {
    @Test("a trace is sampled exactly when swift-otel's TraceIdRatioBased sampler at the same ratio samples it")
    func samplingAgreesWithTheTracer() throws {
        for ratio in [0.01, 0.25, 0.5, 0.9] {
            var configuration = OTel.Configuration.default
            configuration.logs.enabled = false
            configuration.metrics.enabled = false
            configuration.traces.sampler = try #require(.traceIDRatio(ratio: ratio))
            let tracer = try OTel.makeTracingBackend(configuration: configuration).factory
            let bound = CallTracing.bound(ratio)
            var sampled = 0
            for _ in 0..<2_000 {
                let parent = TraceParent.random()
                var context = ServiceContext.topLevel
                tracer.extract(W3CTraceHeaders(traceparent: parent.w3cText), into: &context, using: W3CTraceHeaders.Access())
                let span = tracer.startSpan("probe", context: context, ofKind: .internal)
                let ours = CallTracing.samplingValue(parent.traceID) < bound
                #expect(span.isRecording == ours, "ratio \(ratio), trace \(parent.traceID)")
                sampled += ours ? 1 : 0
                span.end()
            }
            // Ids are uniform, so the share is near the ratio (6 standard deviations of slack).
            let slack = 6 * (ratio * (1 - ratio) / 2_000).squareRoot() * 2_000
            #expect(abs(Double(sampled) - ratio * 2_000) <= slack, "ratio \(ratio): \(sampled) of 2000 sampled")
        }
    }

    @Test("the sampling value is the trace id's last 8 bytes in the machine's order, compared with ratio × 2⁶⁴")
    func samplingValue() {
        // Bytes 8…15 of the id are 00 … 00 01: read little-endian, 2⁵⁶, under half of 2⁶⁴.
        let low = TraceID(high: 1, low: 0x0000_0000_0000_0001)
        // 80 00 … 00: read little-endian, 0x80, far under.
        let lowFirst = TraceID(high: 1, low: 0x8000_0000_0000_0000)
        // 00 … 00 80: 2⁶³, not under half.
        let half = TraceID(high: 1, low: 0x0000_0000_0000_0080)
        #expect(CallTracing.samplingValue(low) == 1 << 56)
        #expect(CallTracing.samplingValue(lowFirst) == 0x80)
        #expect(CallTracing.samplingValue(half) == 1 << 63)
        #expect(CallTracing.bound(0.5) > CallTracing.samplingValue(low) && CallTracing.bound(0.5) <= CallTracing.samplingValue(half))
        #expect(CallTracing.bound(1) == .max && CallTracing.bound(0) == .min)
    }

    @Test("a traceparent's W3C text is written and read back in one pass, and anything malformed is refused")
    func w3cText() throws {
        let parent = TraceParent(traceID: TraceID(high: 0x0af7_6519_16cd_43dd, low: 0x8448_eb21_1c80_319c), parentID: 0xb7ad_6b71_6920_3331, flags: 1)
        #expect(parent.w3cText == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        #expect(parent.w3cText == parent.description)
        #expect(TraceParent(w3c: parent.w3cText) == parent)
        for _ in 0..<200 {
            var random = TraceParent.random()
            random.flags = UInt8.random(in: 0...255)
            #expect(TraceParent(w3c: random.w3cText) == random)
            #expect(random.w3cText == random.description)
        }
        for malformed in [
            "", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0",
            "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
            "00-00000000000000000000000000000000-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
            "00-0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333g-01",
        ] {
            #expect(TraceParent(w3c: malformed) == nil, "\(malformed)")
        }
    }
}
