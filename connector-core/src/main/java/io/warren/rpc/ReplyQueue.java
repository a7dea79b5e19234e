package io.warren.rpc;

import com.rabbitmq.client.Channel;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.OsloTopology;
import java.io.IOException;

/**
 * The connector's one {@code reply_<uuid>} queue, the oslo way: declared on first call with oslo's
 * flags (transient, {@code x-expires}), consumed on the consume connection (see {@link ReplyChannel})
 * and matched to its call by {@code _msg_id}. Replies for calls that already ended are dropped with
 * a debug line.
 */
final class ReplyQueue extends ReplyChannel {
    private final String name;

    ReplyQueue(ConnectorRuntime runtime, OsloEnvelope envelope) {
        this(runtime, envelope, "reply_" + OsloEnvelope.newId());
    }

    private ReplyQueue(ConnectorRuntime runtime, OsloEnvelope envelope, String name) {
        super(runtime, envelope, "reply queue " + name);
        this.name = name;
    }

    @Override
    String address() {
        return name;
    }

    @Override
    void start() throws IOException {
        Channel ch = runtime.openConsumerChannel();
        new OsloTopology(runtime.config()).declareTransientQueue(ch, name);
        consume(ch, name, "warren-reply");
    }

    @Override
    void send(OutboundMessage message, PendingCall call) {
        runtime.publisher().publish(message).whenComplete((ok, e) -> {
            if (e != null) {
                call.future.completeExceptionally(e);
            }
        });
    }

    @Override
    public String describe() {
        return "reply queue " + name;
    }
}
