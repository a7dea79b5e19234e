package io.warren.rpc;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.ConnectorStoppedException;
import io.warren.RemoteError;
import io.warren.Target;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OwnedService;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.OsloTopology;
import io.warren.wire.RejectionLog;
import io.warren.wire.RpcFailure;
import io.warren.wire.RpcReply;
import io.warren.wire.WireException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's one {@code reply_<uuid>} queue, the oslo way: declared on first call with oslo's
 * flags (transient, {@code x-expires}), consumed on the consume connection with manual acks, every
 * reply acked on arrival and matched to its call by {@code _msg_id}. Replies for calls that already
 * ended are dropped with a debug line.
 */
final class ReplyQueue implements OwnedService {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyQueue.class);

    private final ConnectorRuntime runtime;
    private final OsloEnvelope envelope;
    private final RejectionLog rejections;
    private final String name = "reply_" + OsloEnvelope.newId();
    private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();
    private Channel channel;
    private volatile boolean closed;

    ReplyQueue(ConnectorRuntime runtime, OsloEnvelope envelope) {
        this.runtime = runtime;
        this.envelope = envelope;
        this.rejections = new RejectionLog(LOG, runtime.name());
    }

    String name() {
        return name;
    }

    void start() throws IOException {
        channel = runtime.openConsumerChannel();
        new OsloTopology(runtime.config()).declareTransientQueue(channel, name);
        channel.basicConsume(name, false, "warren-reply", new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
                // Acked first, as oslo does: a reply is only useful to the caller waiting now.
                channel.basicAck(env.getDeliveryTag(), false);
                deliver(body, props);
            }
        });
        runtime.own(this);
    }

    /** Registers a call before its request is published, so a fast reply is never missed. */
    PendingCall expect(String msgId, Target target, String method, Duration timeout, Duration monitor) {
        if (closed) {
            throw new ConnectorStoppedException(runtime.name() + " - the reply queue is closed; the connector is stopping");
        }
        PendingCall call = new PendingCall(msgId, target, method, timeout, monitor, runtime.timer());
        pending.put(msgId, call);
        call.arm(() -> pending.remove(msgId));
        return call;
    }

    private void deliver(byte[] body, AMQP.BasicProperties props) {
        RpcReply reply;
        try {
            reply = RpcReply.from(envelope.open(body, props));
        } catch (WireException e) {
            runtime.metrics().rejected(e.kind().tag());
            rejections.rejected("reply queue " + name, e);
            return;
        }
        PendingCall call = pending.get(reply.msgId());
        if (call == null) {
            LOG.debug("{} - dropped a reply for message ID {}: its call already ended", runtime.name(), reply.msgId());
            return;
        }
        if (!reply.ending()) {
            call.keepAlive();
            return;
        }
        if (reply.failure() == null) {
            call.future.complete(reply.result());
            return;
        }
        try {
            RpcFailure f = RpcFailure.parse(envelope.json(), reply.failure());
            call.future.completeExceptionally(new RemoteError(f.className(), f.module(), f.message(), f.traceback(),
                    f.args(), f.kwargs()));
        } catch (WireException e) {
            call.future.completeExceptionally(new RemoteError("UnreadableFailure", "warren", e.getMessage(),
                    java.util.List.of(), java.util.List.of(), Map.of()));
        }
    }

    int inFlight() {
        return pending.size();
    }

    @Override
    public String describe() {
        return "reply queue " + name;
    }

    @Override
    public void stopTaking() {
        // Replies keep coming in while calls drain; the consumer stays until close().
    }

    @Override
    public boolean awaitIdle(long deadlineNanos) {
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

    @Override
    public void close() {
        closed = true;
        for (PendingCall call : pending.values()) {
            call.future.completeExceptionally(new ConnectorStoppedException(runtime.name()
                    + " - the connector stopped before the reply to " + call.method + " on " + call.target + " came"));
        }
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
            LOG.debug("{} - closing the reply channel: {}", runtime.name(), e.toString());
        }
    }
}
