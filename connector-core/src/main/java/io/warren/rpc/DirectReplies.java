package io.warren.rpc;

import com.rabbitmq.client.AMQP;
import io.warren.PublishException;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import io.warren.wire.OsloEnvelope;
import java.io.IOException;

/**
 * RabbitMQ's direct reply-to ({@code warren_rpc_reply_mode=direct}), for Warren-to-Warren calls:
 * no reply queue at all; the broker routes each reply straight to the calling channel. RabbitMQ
 * requires the request to be published on the very channel that consumes
 * {@code amq.rabbitmq.reply-to}, so requests go out on one dedicated channel (serialised), and
 * a Warren server answers to the request's {@code reply_to} property. Python servers do not know
 * this mode: use the oslo reply queue with them.
 */
final class DirectReplies extends ReplyChannel {
    static final String PSEUDO_QUEUE = "amq.rabbitmq.reply-to";

    private final Object publishLock = new Object();

    DirectReplies(ConnectorRuntime runtime, OsloEnvelope envelope) {
        super(runtime, envelope, "direct reply-to");
    }

    @Override
    void start() throws IOException {
        consume(runtime.openPublishSideChannel(), PSEUDO_QUEUE, "", null);
    }

    @Override
    String address() {
        return PSEUDO_QUEUE;
    }

    /** Publishes on the reply-to channel itself: RabbitMQ routes replies only to the channel that sent the request. */
    @Override
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
}
