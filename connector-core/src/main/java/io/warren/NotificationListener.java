package io.warren;

/**
 * A notification listener started by a {@link Connector}: one queue per (topic, priority), or one
 * pool queue bound once per (topic, priority), acknowledged after the endpoint returns.
 */
public interface NotificationListener {
    /** Stops taking notifications and lets running ones finish (bounded). Idempotent. */
    void stop();

    /** @return whether it still takes notifications */
    boolean isRunning();
}
