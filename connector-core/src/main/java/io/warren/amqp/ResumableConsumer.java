package io.warren.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer that consumes again after the broker cancelled it. RabbitMQ sends {@code basic.cancel}
 * when the queue goes (an operator's {@code delete_queue}, {@code x-expires}, a node that held it
 * failing) or, with {@code x-cancel-on-ha-failover}, when a mirrored queue fails over. The
 * connection stays up, so amqp-client's recovery never runs: it only calls
 * {@link Consumer#handleCancel}, and a consumer that ignores it silently takes nothing from then
 * on. oslo (kombu) treats it as a lost connection and re-declares; Warren re-declares the queue
 * with its bindings ({@code redeclare}) and consumes again on the same channel under the same tag,
 * so that amqp-client's record of the consumer (kept by tag, for connection recovery) stays the
 * one it already has.
 *
 * <p>Attempts run on the connector's consumer executor, retried with a back-off of 0.1 s doubling to
 * 2 s while the broker refuses (a quorum queue without a leader yet); they end when one succeeds, when
 * the channel closes (then the connection's recovery restores the recorded consumer), or when the
 * owner cancels it ({@link #cancel()}).
 *
 * <p>Internal to Warren; made by {@link ConnectorRuntime#consume}.
 */
public final class ResumableConsumer implements Consumer {
    private static final Logger LOG = LoggerFactory.getLogger(ResumableConsumer.class);
    private static final long FIRST_RETRY_MS = 100;
    private static final long MAX_RETRY_MS = 2000;

    private final String owner;
    private final Channel channel;
    private final String queue;
    private final boolean autoAck;
    private final Map<String, Object> arguments;
    private final Consumer delegate;
    private final ConnectorRuntime.TopologyWork redeclare;
    private final ExecutorService work;
    private final ScheduledExecutorService timer;
    private final AtomicLong cancellations;
    private final AtomicLong resumed;
    private volatile String tag;
    private volatile boolean ownerCancelled;
    private volatile long cancelledAtNanos;

    ResumableConsumer(String owner, Channel channel, String queue, boolean autoAck, Map<String, Object> arguments,
                      Consumer delegate, ConnectorRuntime.TopologyWork redeclare, ExecutorService work,
                      ScheduledExecutorService timer, AtomicLong cancellations, AtomicLong resumed) {
        this.owner = owner;
        this.channel = channel;
        this.queue = queue;
        this.autoAck = autoAck;
        this.arguments = arguments;
        this.delegate = delegate;
        this.redeclare = redeclare;
        this.work = work;
        this.timer = timer;
        this.cancellations = cancellations;
        this.resumed = resumed;
    }

    /** Consumes for the first time; {@code requestedTag} "" lets the broker choose. */
    String start(String requestedTag) throws IOException {
        tag = channel.basicConsume(queue, autoAck, requestedTag, false, false, arguments, this);
        return tag;
    }

    /**
     * The owner stops consuming: no more attempts to consume again, then {@code basic.cancel}. Call
     * it before deleting the queue yourself, or the broker's cancel that follows would re-declare it.
     */
    public void cancel() {
        ownerCancelled = true;
        try {
            if (channel.isOpen()) {
                channel.basicCancel(tag);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} - cancelling consumer {}: {}", owner, tag, e.toString());
        }
    }

    /** @return the consumer tag */
    public String tag() {
        return tag;
    }

    @Override
    public void handleCancel(String consumerTag) throws IOException {
        // Only the broker sends this; a cancel of our own ends in handleCancelOk.
        cancellations.incrementAndGet();
        cancelledAtNanos = System.nanoTime();
        LOG.warn("{} - the broker cancelled the consumer of queue {} (deleted, or its node failed); declaring it"
                + " again and consuming", owner, queue);
        delegate.handleCancel(consumerTag);
        schedule(0);
    }

    private void schedule(long delayMs) {
        try {
            if (delayMs == 0) {
                work.execute(() -> attempt(FIRST_RETRY_MS));
            } else {
                timer.schedule(() -> {
                    try {
                        work.execute(() -> attempt(Math.min(MAX_RETRY_MS, delayMs * 2)));
                    } catch (RejectedExecutionException stopping) {
                        // the connector is stopping: nothing to consume any more
                    }
                }, delayMs, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException stopping) {
            LOG.debug("{} - not consuming {} again: the connector is stopping", owner, queue);
        }
    }

    private void attempt(long nextDelayMs) {
        if (ownerCancelled || !channel.isOpen()) {
            // Closed: the connection's recovery (if any) re-declares the queue and re-consumes this tag.
            return;
        }
        try {
            if (redeclare != null) {
                redeclare.run(channel);
            }
            channel.basicConsume(queue, autoAck, tag, false, false, arguments, this);
            resumed.incrementAndGet();
            LOG.info("{} - consuming queue {} again, {} ms after the broker cancelled it", owner, queue,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAtNanos));
        } catch (IOException | RuntimeException e) {
            if (ownerCancelled || !channel.isOpen()) {
                LOG.warn("{} - could not consume queue {} again, its channel closed: {}", owner, queue,
                        BrokerReasons.safeMessage(e));
                return;
            }
            LOG.debug("{} - consuming queue {} again failed, retrying in {} ms: {}", owner, queue, nextDelayMs,
                    e.toString());
            schedule(nextDelayMs);
        }
    }

    @Override
    public void handleConsumeOk(String consumerTag) {
        delegate.handleConsumeOk(consumerTag);
    }

    @Override
    public void handleCancelOk(String consumerTag) {
        delegate.handleCancelOk(consumerTag);
    }

    @Override
    public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
        delegate.handleShutdownSignal(consumerTag, sig);
    }

    @Override
    public void handleRecoverOk(String consumerTag) {
        delegate.handleRecoverOk(consumerTag);
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
            throws IOException {
        delegate.handleDelivery(consumerTag, envelope, properties, body);
    }
}
