package io.warren.rpc;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.Target;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import io.warren.amqp.OwnedService;
import io.warren.amqp.ResumableConsumer;
import io.warren.wire.OsloEnvelope;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where replies come back to a connector's RPC client (the oslo reply queue or RabbitMQ's direct
 * reply-to): one channel consuming without acks, its pending calls, and the stop steps. Replies
 * keep arriving while the connector drains its calls, so nothing stops taking before close.
 */
abstract class ReplyChannel implements OwnedService {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyChannel.class);

    protected final ConnectorRuntime runtime;
    protected final PendingCalls calls;
    protected Channel channel;
    private volatile ResumableConsumer consumer;

    ReplyChannel(ConnectorRuntime runtime, OsloEnvelope envelope, String description) {
        this.runtime = runtime;
        this.calls = new PendingCalls(runtime, envelope, description);
    }

    /**
     * Consumes {@code queue} on {@code channel} without acks, handing every reply to its call, and
     * puts this under the connector's ownership. A reply is only of use to the caller waiting now,
     * so letting the broker forget it once sent is oslo's guarantee (it acks on arrival) without
     * one frame and one socket write before the caller wakes. A queue the broker loses is declared
     * again by {@code redeclare} and consumed again (null: direct reply-to's pseudo-queue, never lost).
     */
    final void consume(Channel channel, String queue, String consumerTag, ConnectorRuntime.TopologyWork redeclare)
            throws IOException {
        this.channel = channel;
        consumer = runtime.consume(channel, queue, true, consumerTag, null, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                calls.deliver(body, props);
            }
        }, redeclare);
        runtime.own(this);
    }

    /** Stops consuming for good: before deleting the queue, so the broker's cancel is not taken for a loss. */
    final void cancelConsumer() {
        ResumableConsumer c = consumer;
        if (c != null) {
            c.cancel();
        }
    }

    /** Declares or consumes what replies arrive on. */
    abstract void start() throws IOException;

    /** @return the {@code _reply_q} / {@code reply_to} a request carries */
    abstract String address();

    /** Publishes a request; a failure to publish fails the call at once. */
    abstract void send(OutboundMessage message, PendingCall call);

    PendingCall expect(String msgId, Target target, String method, Duration timeout, Duration monitor) {
        return calls.expect(msgId, target, method, timeout, monitor);
    }

    @Override
    public void stopTaking() {
        // Replies keep coming in while calls drain; the consumer stays until close().
    }

    @Override
    public boolean awaitIdle(long deadlineNanos) {
        return calls.awaitNone(deadlineNanos);
    }

    @Override
    public void close() {
        calls.close();
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
            LOG.debug("{} - closing the {} channel: {}", runtime.name(), describe(), e.toString());
        }
    }

    /** @return calls registered and not yet ended */
    int pendingCalls() {
        return calls.size();
    }
}
