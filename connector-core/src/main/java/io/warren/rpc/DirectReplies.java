package io.warren.rpc;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.PublishException;
import io.warren.Target;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import io.warren.amqp.OwnedService;
import io.warren.wire.OsloEnvelope;
import java.io.IOException;
import java.time.Duration;
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
    private final PendingCalls calls;
    private final Object publishLock = new Object();
    private Channel channel;

    DirectReplies(ConnectorRuntime runtime, OsloEnvelope envelope) {
        this.runtime = runtime;
        this.calls = new PendingCalls(runtime, envelope, "direct reply-to");
    }

    void start() throws IOException {
        channel = runtime.openPublishSideChannel();
        channel.basicConsume(PSEUDO_QUEUE, true, new DefaultConsumer(channel) {
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

    @Override
    public String describe() {
        return "direct reply-to";
    }

    @Override
    public void stopTaking() {
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
            LOG.debug("{} - closing the direct reply-to channel: {}", runtime.name(), e.toString());
        }
    }
}
