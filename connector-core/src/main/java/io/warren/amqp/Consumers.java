package io.warren.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consuming side of one service (an RPC server, a notification listener): its long-lived
 * channel, its consumers, its worker pool and the work in flight, with the three stop steps.
 *
 * <p>Internal to Warren; not part of the public API.
 */
public final class Consumers {
    private static final Logger LOG = LoggerFactory.getLogger(Consumers.class);

    private final String owner;
    private volatile Channel channel;
    private final ExecutorService workers;
    private final ConnectorRuntime runtime;
    private final List<ResumableConsumer> consumers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger active = new AtomicInteger();

    public Consumers(ConnectorRuntime runtime, Channel channel, ExecutorService workers) {
        this.runtime = runtime;
        this.owner = runtime.name();
        this.channel = channel;
        this.workers = workers;
    }

    public Channel channel() {
        return channel;
    }

    public ExecutorService workers() {
        return workers;
    }

    /**
     * Opens another channel in place of one the broker closed; the consumers of the old one are
     * gone with it. The worker pool and the count of work in flight stay.
     */
    Channel reopen() throws IOException {
        consumers.clear();
        channel = runtime.openConsumerChannel();
        return channel;
    }

    /**
     * Starts consuming {@code queue} with manual acks, and again after the broker cancels it.
     *
     * @param redeclare declares the queue and its bindings again on the channel it is given
     */
    public void consume(String queue, Map<String, Object> arguments, Consumer consumer, ChannelWork redeclare)
            throws IOException {
        consumers.add(runtime.consume(channel, queue, false, "", arguments, consumer, redeclare::run));
    }

    /** Marks a piece of work begun; pair with {@link #done()} in finally. */
    public void begin() {
        active.incrementAndGet();
    }

    public void done() {
        active.decrementAndGet();
    }

    /** Cancels every consumer: no new deliveries. */
    public void cancel() {
        for (ResumableConsumer c : consumers) {
            c.cancel();
        }
        consumers.clear();
    }

    /** Waits until no work is in flight, or the deadline passes. */
    public boolean awaitIdle(long deadlineNanos) {
        while (active.get() > 0 && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return active.get() == 0;
    }

    /** Runs {@code lastWords} on the open channel (e.g. deleting a fanout queue), then closes it and the pool. */
    public void close(ChannelWork lastWords) {
        try {
            if (channel.isOpen()) {
                if (lastWords != null) {
                    lastWords.run(channel);
                }
                channel.close();
            }
        } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
            LOG.debug("{} - closing a consumer channel: {}", owner, e.toString());
        }
        workers.shutdown();
    }

    /** Work on the channel before it closes. */
    @FunctionalInterface
    public interface ChannelWork {
        void run(Channel channel) throws IOException;
    }
}
