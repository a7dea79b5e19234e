package io.warren.rpc;

import com.rabbitmq.client.AMQP;
import io.warren.ConnectorStoppedException;
import io.warren.RemoteError;
import io.warren.Target;
import io.warren.amqp.ConnectorRuntime;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.RejectionLog;
import io.warren.wire.RpcFailure;
import io.warren.wire.RpcReply;
import io.warren.wire.WireException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of one reply address waiting for their replies, matched by {@code _msg_id}: shared by
 * the oslo reply queue and direct reply-to, which differ only in where replies come from.
 */
final class PendingCalls {
    private static final Logger LOG = LoggerFactory.getLogger(PendingCalls.class);

    private final ConnectorRuntime runtime;
    private final OsloEnvelope envelope;
    private final String where;
    private final RejectionLog rejections;
    private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PendingCalls(ConnectorRuntime runtime, OsloEnvelope envelope, String where) {
        this.runtime = runtime;
        this.envelope = envelope;
        this.where = where;
        this.rejections = new RejectionLog(LOG, runtime.name());
    }

    /** Registers a call before its request is published, so a fast reply is never missed. */
    PendingCall expect(String msgId, Target target, String method, Duration timeout, Duration monitor) {
        if (closed) {
            throw new ConnectorStoppedException(runtime.name() + " - " + where + " is closed; the connector is stopping");
        }
        PendingCall call = new PendingCall(msgId, target, method, timeout, monitor, runtime.timer());
        pending.put(msgId, call);
        call.arm(() -> pending.remove(msgId));
        return call;
    }

    /** Hands a delivered reply to its call: a keep-alive restarts its monitor, the final reply ends it. */
    void deliver(byte[] body, AMQP.BasicProperties props) {
        RpcReply reply;
        try {
            reply = RpcReply.from(envelope.open(body, props));
        } catch (WireException e) {
            runtime.metrics().rejected(e.kind().tag());
            rejections.rejected(where, e);
            return;
        }
        PendingCall call = pending.get(reply.msgId());
        if (call == null) {
            LOG.debug("{} - dropped a reply for message ID {}: its call already ended", runtime.name(), reply.msgId());
        } else if (!reply.ending()) {
            call.keepAlive();
        } else if (reply.failure() == null) {
            call.future.complete(reply.result());
        } else {
            call.future.completeExceptionally(remoteError(reply.failure()));
        }
    }

    private RemoteError remoteError(String failure) {
        try {
            RpcFailure f = RpcFailure.parse(envelope.json(), failure);
            return new RemoteError(f.className(), f.module(), f.message(), f.traceback(), f.args(), f.kwargs());
        } catch (WireException e) {
            return new RemoteError("UnreadableFailure", "warren", e.getMessage(), List.of(), List.of(), Map.of());
        }
    }

    /** Waits until no call is pending, or the deadline passes. */
    boolean awaitNone(long deadlineNanos) {
        while (!pending.isEmpty() && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return pending.isEmpty();
    }

    /** Refuses new calls and fails the pending ones: the connector is stopping. */
    void close() {
        closed = true;
        for (PendingCall call : pending.values()) {
            call.future.completeExceptionally(new ConnectorStoppedException(runtime.name()
                    + " - the connector stopped before the reply to " + call.method + " on " + call.target + " came"));
        }
    }

    /** @return calls waiting for their reply now (the map's size, for leak checks) */
    int size() {
        return pending.size();
    }
}
