package io.warren.rpc;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.Target;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OwnedService;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.OsloTopology;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's one {@code reply_<uuid>} queue, the oslo way: declared on first call with oslo's
 * flags (transient, {@code x-expires}), consumed on the consume connection without acks (the broker
 * forgets a reply once sent, as oslo's ack on arrival does) and matched to its call by {@code _msg_id}. Replies for calls that already
 * ended are dropped with a debug line.
 */
final class ReplyQueue implements OwnedService {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyQueue.class);

    private final ConnectorRuntime runtime;
    private final String name = "reply_" + OsloEnvelope.newId();
    private final PendingCalls calls;
    private Channel channel;

    ReplyQueue(ConnectorRuntime runtime, OsloEnvelope envelope) {
        this.runtime = runtime;
        this.calls = new PendingCalls(runtime, envelope, "reply queue " + name);
    }

    String name() {
        return name;
    }

    void start() throws IOException {
        channel = runtime.openConsumerChannel();
        new OsloTopology(runtime.config()).declareTransientQueue(channel, name);
        // No-ack consumption: oslo acks every reply on arrival (a reply is only useful to the caller
        // waiting now), and letting the broker forget it when it sends it is the same guarantee
        // without one frame and one socket write on the path to the waiting caller. The queue is
        // this connector's alone and holds only replies to calls in flight, so the missing
        // prefetch bound costs nothing.
        channel.basicConsume(name, true, "warren-reply", new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                calls.deliver(body, props);
            }
        });
        runtime.own(this);
    }

    PendingCall expect(String msgId, Target target, String method, Duration timeout, Duration monitor) {
        return calls.expect(msgId, target, method, timeout, monitor);
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
            LOG.debug("{} - closing the reply channel: {}", runtime.name(), e.toString());
        }
    }
}
