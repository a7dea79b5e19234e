package io.warren.it.reliability;

import io.warren.CallOptions;
import io.warren.PublishException;
import io.warren.RpcClient;
import io.warren.Target;
import io.warren.WarrenException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Casts numbered messages to one target from one test thread, as fast as the broker confirms
 * them (at most {@code window} unconfirmed), and keeps the books: sent, confirmed, failed (by
 * kind), and which ids the {@link Sink} endpoint received how often.
 */
final class CastLoad {
    private final String label;
    private final RpcClient client;
    private final Target target;
    private final Semaphore window;
    private final Sink sink = new Sink();
    private final Set<String> confirmedIds = ConcurrentHashMap.newKeySet();
    private final Set<String> failedIds = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> failureKinds = new ConcurrentHashMap<>();
    private final java.util.List<Throwable> unclearFailures = new CopyOnWriteArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile String firstFailureMessage = "";
    private Thread thread;

    /** The endpoint that counts what it receives. */
    public static final class Sink {
        private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

        /** One message; a repeated id is a duplicate delivery. */
        public void take(String id) {
            seen.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }

        Map<String, AtomicInteger> seen() {
            return seen;
        }
    }

    CastLoad(String label, RpcClient client, Target target, int window) {
        this.label = label;
        this.client = client;
        this.target = target;
        this.window = new Semaphore(window);
    }

    /** The endpoint to serve on the target. */
    Sink sink() {
        return sink;
    }

    void start() {
        thread = new Thread(this::run, "it-cast-" + label);
        thread.start();
    }

    /** Stops sending and waits (bounded) until every cast has its outcome. */
    void stop(Duration bound) throws InterruptedException {
        running.set(false);
        thread.join(bound.toMillis());
        long deadline = System.nanoTime() + bound.toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (thread.isAlive() || outstanding.get() > 0) {
            throw new AssertionError(label + ": casts still without an outcome after " + bound + ": "
                    + outstanding.get() + (thread.isAlive() ? " (sender stuck)" : ""));
        }
    }

    private void run() {
        long i = 0;
        while (running.get()) {
            try {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            String id = label + "-" + i++;
            sent.incrementAndGet();
            outstanding.incrementAndGet();
            CompletableFuture<Void> f;
            try {
                f = client.castAsync(target, "take", Map.of("id", id), CallOptions.defaults());
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((ok, e) -> {
                if (e == null) {
                    confirmedIds.add(id);
                } else {
                    failedIds.add(id);
                    recordFailure(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                }
                outstanding.decrementAndGet();
                window.release();
            });
        }
    }

    private void recordFailure(Throwable e) {
        String kind = e instanceof PublishException p ? "PublishException/" + p.reason() : e.getClass().getSimpleName();
        failureKinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        if (firstFailureMessage.isEmpty()) {
            firstFailureMessage = e.getMessage();
        }
        // Clear: one of Warren's own errors, naming the connector.
        if (!(e instanceof WarrenException) || e.getMessage() == null || e.getMessage().isBlank()) {
            unclearFailures.add(e);
        }
    }

    long sent() {
        return sent.get();
    }

    int confirmed() {
        return confirmedIds.size();
    }

    int failed() {
        return failedIds.size();
    }

    Set<String> confirmedIds() {
        return confirmedIds;
    }

    java.util.List<Throwable> unclearFailures() {
        return unclearFailures;
    }

    String firstFailureMessage() {
        return firstFailureMessage;
    }

    /** Confirmed ids the sink has not received. */
    Set<String> confirmedButNotReceived() {
        Set<String> missing = ConcurrentHashMap.newKeySet();
        for (String id : confirmedIds) {
            if (!sink.seen().containsKey(id)) {
                missing.add(id);
            }
        }
        return missing;
    }

    int received() {
        return sink.seen().size();
    }

    int duplicates() {
        int d = 0;
        for (AtomicInteger n : sink.seen().values()) {
            d += n.get() - 1;
        }
        return d;
    }

    int failedButReceived() {
        int n = 0;
        for (String id : failedIds) {
            if (sink.seen().containsKey(id)) {
                n++;
            }
        }
        return n;
    }

    /** One line for the report. */
    String summary() {
        Map<String, Integer> kinds = new TreeMap<>();
        failureKinds.forEach((k, v) -> kinds.put(k, v.get()));
        return String.format("%s: sent %d, confirmed %d, failed %d %s (of those received anyway %d), received %d, "
                        + "duplicates %d, confirmed-but-lost %d", label, sent(), confirmed(), failed(), kinds,
                failedButReceived(), received(), duplicates(), confirmedButNotReceived().size());
    }
}
