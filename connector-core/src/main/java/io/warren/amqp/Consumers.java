package io.warren.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import java.io.IOException;
import java.util.ArrayList;
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
    private final Channel channel;
    private final ExecutorService workers;
    private final List<String> tags = new ArrayList<>();
    private final AtomicInteger active = new AtomicInteger();

    public Consumers(String owner, Channel channel, ExecutorService workers) {
        this.owner = owner;
        this.channel = channel;
        this.workers = workers;
    }

    public Channel channel() {
        return channel;
    }

    public ExecutorService workers() {
        return workers;
    }

    /** Starts consuming {@code queue} with manual acks. */
    public void consume(String queue, Map<String, Object> arguments, Consumer consumer) throws IOException {
        tags.add(channel.basicConsume(queue, false, "", false, false, arguments, consumer));
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
        for (String tag : tags) {
            try {
                channel.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                LOG.debug("{} - cancelling consumer {}: {}", owner, tag, e.toString());
            }
        }
        tags.clear();
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
