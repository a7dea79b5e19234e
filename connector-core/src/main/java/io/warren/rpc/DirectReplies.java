package io.warren.rpc;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.ConnectorStoppedException;
import io.warren.PublishException;
import io.warren.RemoteError;
import io.warren.Target;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import io.warren.amqp.OwnedService;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.RejectionLog;
import io.warren.wire.RpcFailure;
import io.warren.wire.RpcReply;
import io.warren.wire.WireException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's direct reply-to ({@code warren_rpc_reply_mode=direct}), for Warren-to-Warren calls:
 * no reply queue at all; the broker routes each reply straight to the calling channel. RabbitMQ
 * requires the request to be published on the very channel that consumes
 * {@code amq.rabbitmq.reply-to}, so requests go out on one dedicated channel (serialised), and
 * a Warren server answers to the request's {@code reply_to} property. Python servers do not know
 * this mode: use the oslo reply queue with them.
 */
final class DirectReplies implements OwnedService {
    static final String PSEUDO_QUEUE = "amq.rabbitmq.reply-to";
    private static final Logger LOG = LoggerFactory.getLogger(DirectReplies.class);

    private final ConnectorRuntime runtime;
    private final OsloEnvelope envelope;
    private final RejectionLog rejections;
    private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();
    private final Object publishLock = new Object();
    private Channel channel;
    private volatile boolean closed;

    DirectReplies(ConnectorRuntime runtime, OsloEnvelope envelope) {
        this.runtime = runtime;
        this.envelope = envelope;
        this.rejections = new RejectionLog(LOG, runtime.name());
    }

    void start() throws IOException {
        channel = runtime.openPublishSideChannel();
        channel.basicConsume(PSEUDO_QUEUE, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                deliver(body, props);
            }
        });
        runtime.own(this);
    }

    PendingCall expect(String msgId, Target target, String method, Duration timeout, Duration monitor) {
        if (closed) {
            throw new ConnectorStoppedException(runtime.name() + " - direct replies are closed; the connector is stopping");
        }
        PendingCall call = new PendingCall(msgId, target, method, timeout, monitor, runtime.timer());
        pending.put(msgId, call);
        call.arm(() -> pending.remove(msgId));
        return call;
    }

    /** Publishes a request on the reply-to channel; a failure fails the call at once. */
    void send(OutboundMessage message, PendingCall call) {
        AMQP.BasicProperties props = message.properties().builder().replyTo(PSEUDO_QUEUE).build();
        try {
            synchronized (publishLock) {
                channel.basicPublish(message.exchange(), message.routingKey(), false, props, message.body());
            }
        } catch (IOException | RuntimeException e) {
            call.future.completeExceptionally(new PublishException(PublishException.Reason.CONNECTION_LOST,
                    runtime.name() + " - sending " + call.method + " to " + message.destination() + " failed: " + e.getMessage(), e));
        }
    }

    private void deliver(byte[] body, AMQP.BasicProperties props) {
        RpcReply reply;
        try {
            reply = RpcReply.from(envelope.open(body, props));
        } catch (WireException e) {
            runtime.metrics().rejected(e.kind().tag());
            rejections.rejected("direct reply-to", e);
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
            try {
                RpcFailure f = RpcFailure.parse(envelope.json(), reply.failure());
                call.future.completeExceptionally(new RemoteError(f.className(), f.module(), f.message(), f.traceback(),
                        f.args(), f.kwargs()));
            } catch (WireException e) {
                call.future.completeExceptionally(new RemoteError("UnreadableFailure", "warren", e.getMessage(),
                        List.of(), List.of(), Map.of()));
            }
        }
    }

    @Override
    public String describe() {
        return "direct reply-to";
    }

    @Override
    public void stopTaking() {
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
            LOG.debug("{} - closing the direct reply-to channel: {}", runtime.name(), e.toString());
        }
    }
}
