package io.warren.amqp;

/**
 * Something a connector starts on behalf of the application (an RPC server, a notification
 * listener, the reply queue) and must stop before its connections close. The connector calls the
 * three steps on every service, newest first, each step for all services before the next.
 *
 * <p>Internal to Warren; not part of the public API.
 */
public interface OwnedService {
    /** @return a short description for log lines, e.g. {@code rpc-server topic=compute} */
    String describe();

    /** Stops taking new messages (cancels consumers). Must not block for long. */
    void stopTaking();

    /**
     * Waits until the work already taken has finished, or the deadline passes.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value
     * @return true when idle, false when work was still running at the deadline
     */
    boolean awaitIdle(long deadlineNanos);

    /** Releases broker resources (channels, own queues) and fails whatever still waits. */
    void close();

    /**
     * Stops this service alone, before its connector stops (the application let go of it): the
     * connector's own steps and order, bounded by {@code warren_shutdown_timeout_ms}.
     */
    default void stopAlone(ConnectorRuntime runtime) {
        stopTaking();
        awaitIdle(System.nanoTime() + runtime.config().shutdownTimeout().toNanos());
        close();
        runtime.disown(this);
    }
}
