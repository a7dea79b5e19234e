package io.warren.amqp;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service that consumes on a long-lived channel of its own, with its own worker pool (an RPC
 * server, a notification listener): the running flag, the stop steps, and a new channel when the
 * broker closes one, written once. A subclass calls {@link #startConsuming} in its start method
 * and declares and consumes in {@link #consumeOn}, calling {@link #markRunning()} before its first
 * consume.
 *
 * <p>amqp-client recovers channels only with their connection. A channel the broker closes alone
 * (406 PRECONDITION_FAILED when an unacknowledged delivery outlives {@code consumer_timeout}, a
 * refused declaration) is gone for good, and its consumers with it, while health still says UP:
 * the way an oslo service silently stops consuming. Here such a close is logged and counted, and
 * the service opens another channel, declares and consumes again, with a back-off of 0.1 s doubling
 * to 2 s while that fails; the broker requeued what the old channel had not acknowledged.
 *
 * <p>Internal to Warren; not part of the public API.
 */
public abstract class ConsumingService implements OwnedService {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumingService.class);
    protected final ConnectorRuntime runtime;
    private volatile Consumers consumers;
    private volatile boolean running;
    // A start on the first connect and a stop from the application meet here: whichever comes
    // first decides, so a service stopped while the connector was about to start it never starts.
    private final Object startOrStop = new Object();
    private boolean stopRequested; // guarded by startOrStop
    private static final long FIRST_RETRY_MS = 100;
    private static final long MAX_RETRY_MS = 2000;

    protected ConsumingService(ConnectorRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Opens this service's worker pool ({@code warren-<connector>-<poolName>-<n>}) and consumer
     * channel and calls {@link #consumeOn} on it; on a failure closes what it opened and throws.
     */
    protected final void startConsuming(String poolName, int workers) throws IOException {
        consumers = new Consumers(runtime, runtime.openConsumerChannel(), runtime.newWorkerPool(poolName, workers));
        try {
            consumeOn(consumers.channel(), consumers);
            reopenWhenTheBrokerCloses(consumers.channel());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Sets the prefetch, declares this service's queues and consumes them on {@code channel}: at
     * start, and on each new channel after the broker closed the previous one.
     */
    protected abstract void consumeOn(Channel channel, Consumers consumers) throws IOException;

    private void reopenWhenTheBrokerCloses(Channel channel) {
        channel.addShutdownListener(cause -> {
            // A connection-level close is amqp-client's to recover, with this channel in it.
            if (cause.isHardError() || cause.isInitiatedByApplication() || !running) {
                return;
            }
            String reason = BrokerReasons.of(cause);
            boolean timedOut = reason.contains("timed out") || reason.contains("timeout");
            runtime.recordError(describe() + ": the broker closed its channel: " + reason);
            LOG.warn("{} - the broker closed the channel of the {}: {}{}; opening another and consuming again",
                    runtime.name(), describe(), reason, timedOut ? " (a delivery stayed unacknowledged longer than the"
                            + " broker's consumer_timeout: a handler is slower than that, or waits behind slow ones;"
                            + " the broker requeued what was not acknowledged)" : "");
            // On the io thread here: opening a channel waits for that very thread.
            runtime.later(0, () -> reopen(FIRST_RETRY_MS));
        });
    }

    private void reopen(long nextDelayMs) {
        Consumers c = consumers;
        if (!running || c == null || !runtime.acceptsWork()) {
            return;
        }
        Channel ch = null;
        try {
            ch = c.reopen();
            consumeOn(ch, c);
            reopenWhenTheBrokerCloses(ch);
            runtime.consumerChannelReopened();
            LOG.info("{} - the {} consumes again on a new channel", runtime.name(), describe());
        } catch (IOException | RuntimeException e) {
            if (ch != null && ch.isOpen()) {
                try {
                    ch.abort();
                } catch (IOException | RuntimeException closing) {
                    LOG.debug("{} - closing a channel that could not consume: {}", runtime.name(), closing.toString());
                }
            }
            if (!running) {
                return;
            }
            LOG.debug("{} - reopening the channel of the {} failed, retrying in {} ms: {}", runtime.name(), describe(),
                    nextDelayMs, e.toString());
            runtime.later(nextDelayMs, () -> reopen(Math.min(MAX_RETRY_MS, nextDelayMs * 2)));
        }
    }

    /** @return the consumers opened in start; null before */
    protected final Consumers consumers() {
        return consumers;
    }

    /** Deliveries are taken from now on. */
    protected final void markRunning() {
        running = true;
    }

    /** @return what to do on the channel just before it closes (e.g. delete a queue only this service uses), or null */
    protected Consumers.ChannelWork lastWords() {
        return null;
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * Stops this service alone, in the connector's order; one still waiting for the first connect
     * never starts; nothing when it is not running.
     */
    public void stop() {
        synchronized (startOrStop) { // waits for a start under way: bounded by its AMQP calls' timeouts
            stopRequested = true;
            if (!running) {
                runtime.cancelStartOnConnect(this);
                return;
            }
        }
        stopAlone(runtime);
    }

    /**
     * Runs {@code start} (the service's start, on the first connect) unless {@link #stop} came
     * first.
     */
    public final void startUnlessStopped(ConnectorRuntime.ConnectWork start) throws IOException {
        synchronized (startOrStop) {
            if (!stopRequested) {
                start.run();
            }
        }
    }

    @Override
    public void stopTaking() {
        running = false;
        Consumers c = consumers;
        if (c != null) {
            c.cancel();
        }
    }

    @Override
    public boolean awaitIdle(long deadlineNanos) {
        Consumers c = consumers;
        return c == null || c.awaitIdle(deadlineNanos);
    }

    @Override
    public void close() {
        running = false;
        Consumers c = consumers;
        if (c != null) {
            c.close(lastWords());
        }
    }
}
