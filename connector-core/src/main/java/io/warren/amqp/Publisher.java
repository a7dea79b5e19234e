package io.warren.amqp;

import com.rabbitmq.client.AlreadyClosedException;
import io.warren.BrokerBlockedException;
import io.warren.PublishException;
import io.warren.WarrenException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes messages with broker confirms. Each publish returns a future that completes when the
 * broker acks the message and fails on nack, on return (mandatory and unroutable), on connection
 * loss, or when the message's timeout passes; the calling thread itself waits only for a free
 * channel and for a blocked or recovering broker, both within that same timeout.
 *
 * <p>Futures are completed on the connection's reader thread or the connector's timer thread:
 * chain blocking work with an executor of your own.
 *
 * <p>Internal to Warren; not part of the public API.
 */
public final class Publisher {
    private final String owner;
    private final ChannelPool pool;
    /** Channels without confirms, or null when every publish is confirmed. */
    private final ChannelPool unconfirmedPool;
    private final PublishGate gate;
    private final PublishCounters counters;
    private final Lifecycle lifecycle;

    Publisher(String owner, ChannelPool pool, ChannelPool unconfirmedPool, PublishGate gate, ScheduledExecutorService timer,
              PublishCounters counters, Lifecycle lifecycle) {
        this.owner = owner;
        this.pool = pool;
        this.unconfirmedPool = unconfirmedPool;
        this.gate = gate;
        this.counters = counters;
        this.lifecycle = lifecycle;
        // One sweep every 50 ms instead of a timer task per message: a publish costs no
        // scheduling, and a confirm timeout fires at most 50 ms late.
        this.sweeper = timer.scheduleWithFixedDelay(this::expireOverdue, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    private static final long SWEEP_MS = 50;
    private final ScheduledFuture<?> sweeper;

    private void expireOverdue() {
        long now = System.nanoTime();
        for (PooledChannel ch : pool.channels()) {
            ch.confirms.expire(now, pending -> {
                PublishGate.Closure closure = gate.closure();
                WarrenException error = closure == null
                        ? new PublishException(PublishException.Reason.TIMEOUT, owner + " - no broker confirm for "
                                + pending.message.destination() + " within " + pending.message.timeout().toMillis()
                                + " ms (warren_publish_timeout_ms)")
                        : closedGateError(closure, pending.message);
                if (pending.future.completeExceptionally(error)) {
                    counters.failed.increment();
                }
            });
        }
    }

    /**
     * @param message what to publish, with its timeout
     * @return completed on the broker's confirm, failed with a {@link WarrenException} otherwise
     * @throws io.warren.ConnectorStoppedException when the connector takes no more work
     */
    public CompletableFuture<Void> publish(OutboundMessage message) {
        return publish(message, true);
    }

    /**
     * As {@link #publish(OutboundMessage)}, but on a channel without confirms when the connector
     * has them ({@code warren_rpc_call_confirms=false}): the future completes once the message is
     * written to the socket, and a message the broker then refuses or loses is never reported.
     * The gate (blocked or recovering broker) and the timeout apply the same.
     *
     * @param confirmed false to send without confirm when the connector allows it
     */
    public CompletableFuture<Void> publish(OutboundMessage message, boolean confirmed) {
        lifecycle.ensureAcceptingWork();
        lifecycle.checkProcess();
        long deadline = System.nanoTime() + message.timeout().toNanos();
        try {
            while (true) {
                PublishGate.Closure closure = gate.awaitOpen(deadline);
                if (closure != null) {
                    return failed(closedGateError(closure, message));
                }
                CompletableFuture<Void> sent = confirmed || unconfirmedPool == null ? tryOnce(message, deadline)
                        : tryUnconfirmed(message, deadline);
                if (sent != null) {
                    return sent;
                }
                // The channel was already closed, so nothing went out: the connection died a moment
                // before the gate learnt of it. Wait for the recovery, within the same deadline.
                if (!lifecycle.acceptsWork() || System.nanoTime() + RETRY_PAUSE_NANOS - deadline > 0) {
                    return failed(new PublishException(PublishException.Reason.CONNECTION_LOST, owner
                            + " - the connection to the broker is lost; gave up on " + message.destination()
                            + " after " + message.timeout().toMillis() + " ms"));
                }
                TimeUnit.NANOSECONDS.sleep(RETRY_PAUSE_NANOS);
            }
        } catch (WarrenException e) {
            return failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(new PublishException(PublishException.Reason.CONNECTION_LOST,
                    owner + " - interrupted before publishing to " + message.destination()));
        }
    }

    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** @return the confirm future, or null when the channel turned out closed before anything was written */
    private CompletableFuture<Void> tryOnce(OutboundMessage message, long deadline) throws InterruptedException {
        PooledChannel ch;
        try {
            ch = pool.checkout(deadline);
        } catch (AlreadyClosedException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            if (e instanceof WarrenException w) {
                throw w;
            }
            return failed(new PublishException(PublishException.Reason.CONNECTION_LOST,
                    owner + " - could not open a publishing channel for " + message.destination()
                            + ": " + e.getMessage(), e));
        }
        ConfirmTracker.Pending pending;
        try {
            Object delegate = ch.delegate();
            long seq = ch.channel.getNextPublishSeqNo();
            pending = ch.confirms.track(delegate, seq, message, deadline);
            try {
                ch.channel.basicPublish(message.exchange(), message.routingKey(), message.mandatory(),
                        message.properties(), message.body());
            } catch (AlreadyClosedException e) {
                ch.confirms.untrack(delegate, seq);
                return null;
            } catch (IOException e) {
                // A failed socket write may have sent part of the message: not safe to repeat.
                ch.confirms.untrack(delegate, seq);
                return failed(new PublishException(PublishException.Reason.CONNECTION_LOST,
                        owner + " - publishing to " + message.destination() + " failed: " + e.getMessage(), e));
            }
        } finally {
            pool.release(ch);
        }
        counters.published.increment();
        return pending.future;
    }

    private static final CompletableFuture<Void> WRITTEN = CompletableFuture.completedFuture(null);

    /** As {@link #tryOnce} on a channel without confirms: done once written. */
    private CompletableFuture<Void> tryUnconfirmed(OutboundMessage message, long deadline) throws InterruptedException {
        PooledChannel ch;
        try {
            ch = unconfirmedPool.checkout(deadline);
        } catch (AlreadyClosedException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            if (e instanceof WarrenException w) {
                throw w;
            }
            return failed(new PublishException(PublishException.Reason.CONNECTION_LOST,
                    owner + " - could not open a publishing channel for " + message.destination()
                            + ": " + e.getMessage(), e));
        }
        try {
            ch.channel.basicPublish(message.exchange(), message.routingKey(), message.mandatory(),
                    message.properties(), message.body());
        } catch (AlreadyClosedException e) {
            return null;
        } catch (IOException e) {
            return failed(new PublishException(PublishException.Reason.CONNECTION_LOST,
                    owner + " - publishing to " + message.destination() + " failed: " + e.getMessage(), e));
        } finally {
            unconfirmedPool.release(ch);
        }
        counters.published.increment();
        return WRITTEN;
    }

    private WarrenException closedGateError(PublishGate.Closure closure, OutboundMessage message) {
        long ms = message.timeout().toMillis();
        if (closure == PublishGate.Closure.BLOCKED) {
            return new BrokerBlockedException(owner + " - the broker is blocking publishers (" + gate.reason()
                    + "); gave up on " + message.destination() + " after " + ms + " ms");
        }
        return new PublishException(PublishException.Reason.CONNECTION_LOST, owner
                + " - the connection to the broker is lost and recovering; gave up on "
                + message.destination() + " after " + ms + " ms");
    }

    private CompletableFuture<Void> failed(WarrenException e) {
        counters.failed.increment();
        return CompletableFuture.failedFuture(e);
    }

    /** @return how many publishes wait for their confirm */
    int outstanding() {
        int n = 0;
        for (PooledChannel ch : pool.channels()) {
            n += ch.confirms.outstanding();
        }
        return n;
    }

    /** Waits until no publish waits for its confirm, or the deadline passes. */
    boolean awaitConfirms(long deadlineNanos) {
        while (outstanding() > 0) {
            if (System.nanoTime() >= deadlineNanos) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Fails whatever still waits for a confirm and ends the sweeper; called during stop. */
    void failOutstanding(String why) {
        sweeper.cancel(false);
        for (PooledChannel ch : pool.channels()) {
            ch.confirms.failAll(why);
        }
    }
}
