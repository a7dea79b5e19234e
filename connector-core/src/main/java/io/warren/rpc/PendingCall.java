package io.warren.rpc;

import io.warren.MessagingTimeout;
import io.warren.Target;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call waiting for its reply. It ends at the first of: the final reply, the call timeout,
 * or, with a call monitor, a gap between keep-alives longer than the monitor timeout.
 */
final class PendingCall {
    final String msgId;
    final Target target;
    final String method;
    final CompletableFuture<Object> future = new CompletableFuture<>();
    final long startNanos = System.nanoTime();
    private final Duration timeout;
    private final Duration monitor;
    private final ScheduledExecutorService timer;
    private volatile ScheduledFuture<?> overall;
    private volatile ScheduledFuture<?> monitorTimer;

    PendingCall(String msgId, Target target, String method, Duration timeout, Duration monitor, ScheduledExecutorService timer) {
        this.msgId = msgId;
        this.target = target;
        this.method = method;
        this.timeout = timeout;
        this.monitor = monitor;
        this.timer = timer;
    }

    void arm(Runnable onEnd) {
        overall = timer.schedule(() -> timeOut("Timed out waiting for a reply to message ID " + msgId + " ("
                + method + " on " + target + ", timeout " + timeout.toMillis() + " ms)"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        restartMonitor();
        future.whenComplete((r, e) -> {
            cancel(overall);
            cancel(monitorTimer);
            onEnd.run();
        });
    }

    /** A keep-alive came: the server still works on the call. */
    void keepAlive() {
        restartMonitor();
    }

    private void restartMonitor() {
        if (monitor == null || future.isDone()) {
            return;
        }
        cancel(monitorTimer);
        monitorTimer = timer.schedule(() -> timeOut("No keep-alive for message ID " + msgId + " (" + method + " on "
                + target + ") within the call monitor timeout of " + monitor.toMillis() + " ms"), monitor.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void timeOut(String message) {
        future.completeExceptionally(new MessagingTimeout(message));
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
