package io.warren.amqp;

import com.rabbitmq.client.RecoveryDelayHandler;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * oslo's reconnect back-off, for amqp-client's recovery: wait {@code rabbit_retry_interval}, then
 * grow by {@code rabbit_retry_backoff} per attempt up to {@code rabbit_interval_max} (1, 3, 5 ...
 * 29, 30, 30 s with defaults). A ±20% jitter keeps the webapps of a redeployed cluster from
 * reconnecting in lock-step.
 */
final class ReconnectBackoff implements RecoveryDelayHandler {
    private final long intervalMs;
    private final long backoffMs;
    private final long maxMs;

    ReconnectBackoff(Duration interval, Duration backoff, Duration max) {
        this.intervalMs = interval.toMillis();
        this.backoffMs = backoff.toMillis();
        this.maxMs = Math.max(max.toMillis(), intervalMs);
    }

    /** @param recoveryAttempts 0 before the first attempt, then 1, 2, ... */
    @Override
    public long getDelay(int recoveryAttempts) {
        long base = Math.min(maxMs, intervalMs + backoffMs * Math.max(0, recoveryAttempts - 1));
        if (recoveryAttempts == 0) {
            // amqp-client waits once before its first attempt: keep that short, a dropped
            // connection to a healthy broker should come back at once.
            base = Math.min(base, 200);
        }
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Math.max(1, Math.round(base * jitter));
    }
}
