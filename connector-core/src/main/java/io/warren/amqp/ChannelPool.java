package io.warren.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.ChannelPoolExhaustedException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded pool of publishing channels on the publish connection.
 *
 * <p>A permit is taken before a channel and given back in {@code finally}, so a channel that dies
 * while checked out (its connection dropped) never costs a permit: the dead channel is closed and
 * the next checkout opens a fresh one. Checkout waits at most the configured timeout, then fails
 * with an error that names the knobs; the pool never grows past its size.
 */
final class ChannelPool {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelPool.class);

    /** Opens and sets up a new publishing channel. */
    @FunctionalInterface
    interface ChannelOpener {
        PooledChannel open(Connection connection) throws IOException;
    }

    private final String owner;
    private final Connection connection;
    private final ChannelOpener opener;
    private final int size;
    private final Duration checkoutTimeout;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<PooledChannel> idle = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<PooledChannel> all = new ConcurrentLinkedDeque<>();
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile boolean closed;

    ChannelPool(String owner, Connection connection, int size, Duration checkoutTimeout, ChannelOpener opener) {
        this.owner = owner;
        this.connection = connection;
        this.size = size;
        this.checkoutTimeout = checkoutTimeout;
        this.opener = opener;
        this.permits = new Semaphore(size, true);
    }

    /**
     * @param deadlineNanos no later than this {@link System#nanoTime()} value, nor later than the
     *        checkout timeout
     * @return a channel for this thread alone; give it back with {@link #release}
     */
    PooledChannel checkout(long deadlineNanos) throws IOException, InterruptedException {
        if (closed) {
            throw new IllegalStateException(owner + " - the channel pool is closed");
        }
        long wait = Math.min(checkoutTimeout.toNanos(), Math.max(0, deadlineNanos - System.nanoTime()));
        waiters.incrementAndGet();
        boolean acquired;
        try {
            // The untimed tryAcquire barges past the fair queue when a permit is free: the common
            // case costs no hand-off; only real waiting is served in order.
            acquired = permits.tryAcquire() || permits.tryAcquire(wait, TimeUnit.NANOSECONDS);
        } finally {
            waiters.decrementAndGet();
        }
        if (!acquired) {
            throw new ChannelPoolExhaustedException(owner + " - no publishing channel became free within "
                    + TimeUnit.NANOSECONDS.toMillis(wait) + " ms; all " + size
                    + " are in use (raise rpc_conn_pool_size or warren_channel_checkout_timeout_ms)");
        }
        try {
            PooledChannel ch;
            while ((ch = idle.pollFirst()) != null) {
                if (ch.isOpen()) {
                    return ch;
                }
                discard(ch);
            }
            ch = opener.open(connection);
            all.add(ch);
            return ch;
        } catch (IOException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Gives a channel back; a closed one is dropped so the next checkout opens a new one. */
    void release(PooledChannel ch) {
        try {
            if (!closed && ch.isOpen()) {
                idle.addFirst(ch);
            } else {
                discard(ch);
            }
        } finally {
            permits.release();
        }
    }

    private void discard(PooledChannel ch) {
        all.remove(ch);
        ch.confirms.failAll("channel closed");
        closeQuietly(ch.channel);
    }

    int openChannels() {
        int n = 0;
        for (PooledChannel ch : all) {
            if (ch.isOpen()) {
                n++;
            }
        }
        return n;
    }

    int waiters() {
        return waiters.get();
    }

    int size() {
        return size;
    }

    Iterable<PooledChannel> channels() {
        return all;
    }

    /** Closes every channel; publishes still unconfirmed are failed by the caller first. */
    void close() {
        closed = true;
        for (PooledChannel ch : all) {
            closeQuietly(ch.channel);
        }
        all.clear();
        idle.clear();
    }

    private void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
            LOG.debug("{} - closing a publishing channel failed: {}", owner, e.toString());
        }
    }
}
