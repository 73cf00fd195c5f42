import AftercareCrashPoints
import AftercareWire
import NIOCore

extension FaultHandler {
    /// Sends one frame the client wrote, through the faults.
    func send(_ frame: Frame, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        switch frame.type {
        case .call: self.sendCall(frame, promise: promise, context: context)
        case _ where frame.type.isConnectionFrame: self.write([frame], promise: promise, context: context)
        default: self.sendOnCall(frame, promise: promise, context: context)
        }
    }

    /// A later frame of a call goes where its CALL went: nowhere, into the hold, or on (to the
    /// duplicate's copy too).
    private func sendOnCall(_ frame: Frame, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        let id = frame.streamID
        if let kind = self.holds.first(where: { $0.value.clientID == id })?.key {
            // A held request's fragments stay with it; its cancellation is lost.
            if frame.type == .message { self.holds[kind]?.frames.append(frame) }
        } else if self.reordered?.clientID == id {
            self.reordered?.frames.append(frame)
        } else if !self.droppedRequests.contains(id), !self.abandoned.contains(id) {
            var frames = [self.ids.toWire(frame)]
            if let copy = self.copies[id] {
                var duplicate = frame
                duplicate.streamID = copy
                frames.append(duplicate)
            }
            return self.write(frames, promise: promise, context: context)
        }
        promise?.succeed()
    }

    /// A call's CALL frame: the faults for its method decide whether, when and how it leaves.
    private func sendCall(_ frame: Frame, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        let fields = try? CallFields.parse(frame.ext)
        let method = fields?.method ?? ""
        let faults = self.injector.faults(forCall: method)
        let released = self.injector.holdsReleased(byCall: method)
        var call = frame
        if faults.contains(.garbleRequest) {
            call.payload = ByteBuffer(repeating: 0xFF, count: frame.payload.readableBytes)
        }
        if faults.contains(.dropRequest) {
            self.droppedRequests.insert(call.streamID)
        } else if faults.contains(.reorder) {
            self.reordered = HeldCall(clientID: call.streamID, frames: [call])
        } else if let hold = faults.first(where: { if case .holdRequest = $0 { true } else { false } }) {
            self.holds[hold] = HeldCall(clientID: call.streamID, frames: [call])
            self.abandoned.insert(call.streamID)
        } else {
            let delays = faults.compactMap { if case .delayRequest(let delay) = $0 { delay } else { nil } }
            guard delays.isEmpty else {
                return self.delayRequests(by: delays.reduce(.zero, +), context: context) { [call] in
                    self.forward(call, faults: faults, releasing: released, saga: fields?.saga, promise: promise, context: context)
                }
            }
            return self.forward(call, faults: faults, releasing: released, saga: fields?.saga, promise: promise, context: context)
        }
        promise?.succeed()
        self.release(released, context: context)
    }

    /// Sends a call on with its wire id: its copy if duplicated, the reordered call it swaps places
    /// with right after it; a saga call reaches ``CrashPoint/sagaCallSent`` once written.
    private func forward(
        _ call: Frame, faults: [Fault.Kind], releasing released: [Fault], saga: SagaContext?, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext
    ) {
        var frames = [self.ids.assign(call)]
        let wireID = frames[0].streamID
        if faults.contains(.duplicate) {
            var copy = call
            copy.streamID = self.ids.reserve()
            self.droppedReplies.insert(copy.streamID)
            self.copies[call.streamID] = copy.streamID
            frames.append(copy)
        }
        for fault in faults {
            switch fault {
            case .dropReply: self.droppedReplies.insert(wireID)
            case .delayReply(let delay): self.replyDelays[wireID] = delay
            default: break
            }
        }
        if let reordered = self.reordered {
            self.reordered = nil
            frames += reordered.frames.map { $0.type == .call ? self.ids.assign($0) : self.ids.toWire($0) }
        }
        if !released.isEmpty {
            // The held calls arrive once the server has answered this one: after it, for certain.
            self.releasedByReply[wireID, default: []] += released
        }
        guard let saga else { return self.write(frames, promise: promise, context: context) }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenSuccess {
            CrashPoints.reach(.sagaCallSent, CrashPoint.stepContext(saga.sagaID, saga.step, saga.direction))
        }
        written.futureResult.cascade(to: promise)
        self.write(frames, promise: written, context: context)
    }

    /// Writes the calls `released` frees: once the call that freed them has been answered, or at
    /// once when that call itself never reaches the server. Their replies are dropped (their callers
    /// gave up on them).
    func release(_ released: [Fault], context: ChannelHandlerContext) {
        for fault in released {
            guard let held = self.holds.removeValue(forKey: fault.kind) else { continue }
            let frames = held.frames.map { frame in
                guard frame.type == .call else { return self.ids.toWire(frame) }
                let assigned = self.ids.assign(frame)
                self.droppedReplies.insert(assigned.streamID)
                return assigned
            }
            self.write(frames, promise: nil, context: context)
        }
    }
}
