package io.warren.amqp;

import java.io.IOException;

/**
 * A service that consumes on a long-lived channel of its own, with its own worker pool (an RPC
 * server, a notification listener): the running flag and the stop steps, written once. A
 * subclass opens its {@link Consumers} in its start method, declares and consumes, then calls
 * {@link #markRunning()}; on a failure there it calls {@link #close()}.
 *
 * <p>Internal to Warren; not part of the public API.
 */
public abstract class ConsumingService implements OwnedService {
    protected final ConnectorRuntime runtime;
    private volatile Consumers consumers;
    private volatile boolean running;

    protected ConsumingService(ConnectorRuntime runtime) {
        this.runtime = runtime;
    }

    /** Opens this service's worker pool ({@code warren-<connector>-<poolName>-<n>}) and consumer channel. */
    protected final Consumers openConsumers(String poolName, int workers) throws IOException {
        consumers = new Consumers(runtime, runtime.openConsumerChannel(), runtime.newWorkerPool(poolName, workers));
        return consumers;
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

    /** Stops this service alone, in the connector's order; nothing when it is not running. */
    public void stop() {
        if (!running) {
            return;
        }
        stopAlone(runtime);
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
