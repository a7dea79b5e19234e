package io.warren.it.reliability;

import io.warren.CallOptions;
import io.warren.MessagingTimeout;
import io.warren.PublishException;
import io.warren.RpcClient;
import io.warren.Target;
import io.warren.WarrenException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code callers} test threads each calling {@code echo} one call after another, with a timeout,
 * keeping the books: calls, answers, wrong answers, failures by kind, the longest a call took,
 * and calls that took longer than their timeout plus a grace (a hang).
 */
final class CallLoad {
    private final String label;
    private final RpcClient client;
    private final Target target;
    private final Duration timeout;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong wrongAnswers = new AtomicLong();
    private final AtomicLong overran = new AtomicLong();
    private final AtomicLong longestNanos = new AtomicLong();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    private final Map<String, AtomicInteger> failureKinds = new ConcurrentHashMap<>();
    private final List<Throwable> unclearFailures = new CopyOnWriteArrayList<>();

    /** Echoes its argument. */
    public static final class Echo {
        public String echo(String text) {
            return text;
        }
    }

    CallLoad(String label, RpcClient client, Target target, Duration timeout) {
        this.label = label;
        this.client = client;
        this.target = target;
        this.timeout = timeout;
    }

    void start(int callers) {
        for (int c = 0; c < callers; c++) {
            int caller = c;
            Thread t = new Thread(() -> run(caller), "it-caller-" + label + "-" + c);
            threads.add(t);
            t.start();
        }
    }

    /** Stops the callers; fails when one does not end within its call's timeout plus {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + timeout.plus(grace).toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " is stuck in a call for longer than its timeout "
                        + timeout + " + " + grace);
            }
        }
    }

    private void run(int caller) {
        CallOptions options = CallOptions.defaults().timeout(timeout);
        long i = 0;
        while (running.get()) {
            String text = label + "-" + caller + "-" + i++;
            long t0 = System.nanoTime();
            calls.incrementAndGet();
            try {
                Object answer = client.call(target, "echo", Map.of("text", text), options);
                if (text.equals(answer)) {
                    answered.incrementAndGet();
                    lastAnswerNanos.set(System.nanoTime());
                } else {
                    wrongAnswers.incrementAndGet();
                }
            } catch (RuntimeException e) {
                record(e);
                pause();
            } finally {
                long took = System.nanoTime() - t0;
                longestNanos.accumulateAndGet(took, Math::max);
                // call() itself allows 5 s beyond the timeout before giving up on a future.
                if (took > timeout.plusSeconds(6).toNanos()) {
                    overran.incrementAndGet();
                }
            }
        }
    }

    private void record(RuntimeException e) {
        String kind = e instanceof PublishException p ? "PublishException/" + p.reason() : e.getClass().getSimpleName();
        failureKinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        boolean clear = e instanceof WarrenException && e.getMessage() != null && !e.getMessage().isBlank();
        if (!clear) {
            unclearFailures.add(e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(50); // no busy loop against a refusing connector
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long calls() {
        return calls.get();
    }

    long answered() {
        return answered.get();
    }

    long wrongAnswers() {
        return wrongAnswers.get();
    }

    long overran() {
        return overran.get();
    }

    long failed() {
        long n = 0;
        for (AtomicInteger v : failureKinds.values()) {
            n += v.get();
        }
        return n;
    }

    /** @return System.nanoTime() of the latest answer, 0 before the first */
    long lastAnswerNanos() {
        return lastAnswerNanos.get();
    }

    List<Throwable> unclearFailures() {
        return unclearFailures;
    }

    boolean onlyTimeoutsOrLostConnections() {
        for (String kind : failureKinds.keySet()) {
            if (!kind.equals(MessagingTimeout.class.getSimpleName()) && !kind.startsWith("PublishException/")
                    && !kind.equals("BrokerBlockedException") && !kind.equals("ConnectorStoppedException")) {
                return false;
            }
        }
        return true;
    }

    String summary() {
        Map<String, Integer> kinds = new TreeMap<>();
        failureKinds.forEach((k, v) -> kinds.put(k, v.get()));
        return String.format("%s: %d callers, %d calls, %d answered, %d failed %s, wrong answers %d, longest %.2f s "
                        + "(timeout %d s), over timeout+6 s: %d", label, threads.size(), calls(), answered(), failed(),
                kinds, wrongAnswers(), longestNanos.get() / 1e9, timeout.toSeconds(), overran());
    }
}
