package io.warren.rpc;

import com.rabbitmq.client.Channel;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.OsloTopology;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's one {@code reply_<uuid>} queue, the oslo way: declared on first call with oslo's
 * flags and name (see {@link OsloTopology#declareReplyQueue}), consumed on the consume connection
 * (see {@link ReplyChannel}) and matched to its call by {@code _msg_id}. Replies for calls that
 * already ended are dropped with a debug line. Deleted when the connector stops, unless its name is
 * a stable one (queue manager), so redeploys leave no queue behind for {@code x-expires} to clean.
 */
final class ReplyQueue extends ReplyChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyQueue.class);

    private final OsloTopology topology;
    private final boolean confirmed;
    /** Set once by {@link #start()}, before any call is sent. */
    private volatile String name;

    ReplyQueue(ConnectorRuntime runtime, OsloEnvelope envelope) {
        super(runtime, envelope, "reply queue");
        this.topology = new OsloTopology(runtime.config());
        this.confirmed = runtime.config().rpcCallConfirms();
    }

    @Override
    String address() {
        return name;
    }

    @Override
    void start() throws IOException {
        Channel ch = runtime.openConsumerChannel();
        name = topology.declareReplyQueue(ch);
        String declared = name;
        consume(ch, name, "warren-reply", c -> topology.declareOwnAgain(c, declared, null));
    }

    @Override
    void send(OutboundMessage message, PendingCall call) {
        // With confirms (oslo's default) a nack or a connection lost before the confirm fails the call now.
        runtime.publisher().publish(message, confirmed).whenComplete((ok, e) -> {
            if (e != null) {
                call.future.completeExceptionally(e);
            }
        });
    }

    /** Deletes the queue (unless its name is stable), then closes as every reply channel does. */
    @Override
    public void close() {
        Channel ch = channel;
        if (name != null && topology.deletesReplyQueueOnStop() && ch != null && ch.isOpen()) {
            cancelConsumer();
            try {
                ch.queueDelete(name);
            } catch (IOException | RuntimeException e) {
                LOG.debug("{} - deleting reply queue {}: {}", runtime.name(), name, e.toString());
            }
        }
        super.close();
    }

    @Override
    public String describe() {
        return "reply queue " + name;
    }
}
