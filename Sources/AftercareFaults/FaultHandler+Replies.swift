import AftercareWire
import NIOCore

extension FaultHandler {
    /// Delivers one frame the server sent, through the faults: in the client's ids, dropped or
    /// delayed as its call's faults say. A call's END may release held calls.
    func receive(_ frame: Frame, context: ChannelHandlerContext) {
        if frame.type == .drain, let body = try? frame.drainBody() {
            return self.deliver(.drain(self.ids.toClient(body)), context: context)
        }
        guard !frame.type.isConnectionFrame else { return self.deliver(frame, context: context) }
        if frame.type == .end, let released = self.releasedByReply.removeValue(forKey: frame.streamID) {
            self.release(released, context: context)
            context.flush()
        }
        guard !self.droppedReplies.contains(frame.streamID) else { return }
        let translated = self.ids.toClient(frame)
        if let delay = self.replyDelays[frame.streamID] {
            self.delayReplies(by: delay, context: context, then: translated)
        } else {
            self.deliver(translated, context: context)
        }
    }
}
