package io.warren.amqp;

import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.AMQP;
import io.warren.PublishException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The publishes of one pooled channel that wait for their broker confirm.
 *
 * <p>Entries are grouped by the underlying channel they went out on. After amqp-client recovers a
 * channel, its sequence numbers start again at 1 and the confirms of the messages that were in
 * flight never arrive; keeping each underlying channel's entries apart means a new ack is never
 * taken for an old message, and the old ones are failed the moment their channel shuts down.
 */
final class ConfirmTracker implements ConfirmListener, ReturnListener {

    /** One message waiting for its confirm. */
    static final class Pending {
        final OutboundMessage message;
        final long deadlineNanos;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        volatile boolean returned;

        Pending(OutboundMessage message, long deadlineNanos) {
            this.message = message;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final Map<Object, ConcurrentNavigableMap<Long, Pending>> byDelegate = new ConcurrentHashMap<>();
    private final PublishCounters counters;
    private final String owner;
    private volatile Object currentDelegate;

    ConfirmTracker(String owner, PublishCounters counters) {
        this.owner = owner;
        this.counters = counters;
    }

    /** Records a publish about to go out on {@code delegate} with sequence number {@code seq}. */
    Pending track(Object delegate, long seq, OutboundMessage message, long deadlineNanos) {
        currentDelegate = delegate;
        Pending pending = new Pending(message, deadlineNanos);
        byDelegate.computeIfAbsent(delegate, d -> new ConcurrentSkipListMap<>()).put(seq, pending);
        return pending;
    }

    /** Forgets a publish whose basicPublish call failed (the caller fails its future). */
    void untrack(Object delegate, long seq) {
        ConcurrentNavigableMap<Long, Pending> map = byDelegate.get(delegate);
        if (map != null) {
            map.remove(seq);
        }
    }

    /** Removes the publishes whose deadline has passed and hands them to {@code expired}. */
    void expire(long nowNanos, java.util.function.Consumer<Pending> expired) {
        for (ConcurrentNavigableMap<Long, Pending> map : byDelegate.values()) {
            for (var it = map.entrySet().iterator(); it.hasNext(); ) {
                Pending p = it.next().getValue();
                // Messages may carry different timeouts, so every entry is looked at.
                if (p.deadlineNanos - nowNanos <= 0) {
                    it.remove();
                    expired.accept(p);
                }
            }
        }
    }

    int outstanding() {
        int n = 0;
        for (ConcurrentNavigableMap<Long, Pending> map : byDelegate.values()) {
            n += map.size();
        }
        return n;
    }

    /** Fails every publish that went out on {@code delegate}: that channel is gone. */
    void failAllOn(Object delegate, String why) {
        ConcurrentNavigableMap<Long, Pending> map = byDelegate.remove(delegate);
        if (map == null) {
            return;
        }
        for (Pending p : map.values()) {
            fail(p, new PublishException(PublishException.Reason.CONNECTION_LOST,
                    owner + " - connection lost before the broker confirmed the message to "
                            + p.message.destination() + ": " + why));
        }
        map.clear();
    }

    /**
     * Fails every publish that went out on an underlying channel that is closed now. Called from
     * the channel's shutdown listener: when the whole connection dies, the signal names the
     * connection, not the channel, so the dead channels are found by asking each one.
     */
    void failAllOnClosedChannels(String why) {
        for (Object delegate : byDelegate.keySet()) {
            if (delegate instanceof com.rabbitmq.client.Channel ch && !ch.isOpen()) {
                failAllOn(delegate, why);
            }
        }
    }

    /** Fails every publish still waiting, on any channel. */
    void failAll(String why) {
        for (Object delegate : byDelegate.keySet()) {
            failAllOn(delegate, why);
        }
    }

    // Confirms arrive on the connection's reader thread for the channel's current delegate.
    @Override
    public void handleAck(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, true);
    }

    @Override
    public void handleNack(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, false);
    }

    private void settle(long seq, boolean multiple, boolean ack) {
        Object delegate = currentDelegate;
        ConcurrentNavigableMap<Long, Pending> map = delegate == null ? null : byDelegate.get(delegate);
        if (map == null) {
            return;
        }
        ConcurrentNavigableMap<Long, Pending> settled = multiple ? map.headMap(seq, true) : null;
        if (settled != null) {
            for (Pending p : settled.values()) {
                complete(p, ack);
            }
            settled.clear();
        } else {
            Pending p = map.remove(seq);
            if (p != null) {
                complete(p, ack);
            }
        }
    }

    private void complete(Pending p, boolean ack) {
        if (p.returned) {
            counters.returned.increment();
            fail(p, new PublishException(PublishException.Reason.UNROUTABLE,
                    owner + " - no queue is bound for " + p.message.destination()
                            + " (mandatory message returned by the broker)"));
        } else if (ack) {
            counters.confirmed.increment();
            p.future.complete(null);
        } else {
            counters.nacked.increment();
            fail(p, new PublishException(PublishException.Reason.NACKED,
                    owner + " - the broker refused (nack) the message to " + p.message.destination()));
        }
    }

    private static void fail(Pending p, PublishException e) {
        p.future.completeExceptionally(e);
    }

    /**
     * RabbitMQ sends basic.return before the ack of the same message. Oslo messages carry no
     * correlation property (their properties must stay exactly oslo's), so the returned message
     * is found by destination and body, which always holds a unique id.
     */
    @Override
    public void handleReturn(int replyCode, String replyText, String exchange, String routingKey,
                             AMQP.BasicProperties properties, byte[] body) {
        Object delegate = currentDelegate;
        ConcurrentNavigableMap<Long, Pending> map = delegate == null ? null : byDelegate.get(delegate);
        if (map == null) {
            return;
        }
        for (Pending p : map.values()) {
            OutboundMessage m = p.message;
            if (!p.returned && m.exchange().equals(exchange) && m.routingKey().equals(routingKey)
                    && Arrays.equals(m.body(), body)) {
                p.returned = true;
                return;
            }
        }
    }
}
