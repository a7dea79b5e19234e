package io.warren.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: one thread per operation, each repeating it until the trial ends and timing
 * every repetition. The first failure ends the trial and is thrown, so a broken contender cannot
 * pass for a slow one.
 */
final class ClosedLoop {
    /** One client's operation, e.g. an RPC call or an HTTP request. */
    interface Operation {
        void run() throws Exception;
    }

    private ClosedLoop() {
    }

    /**
     * @param latencies where every repetition's time goes, or null
     * @return repetitions per second over all threads
     */
    static double run(String name, List<? extends Operation> perThread, Duration trial, Latencies latencies)
            throws InterruptedException {
        AtomicLong count = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(perThread.size());
        long t0 = System.nanoTime();
        long end = t0 + trial.toNanos();
        for (Operation op : perThread) {
            Thread t = new Thread(() -> {
                long[] own = new long[1 << 16];
                int n = 0;
                try {
                    while (System.nanoTime() < end && failure.get() == null) {
                        long s = System.nanoTime();
                        op.run();
                        if (n == own.length) {
                            record(latencies, own, n);
                            n = 0;
                        }
                        own[n++] = System.nanoTime() - s;
                        count.incrementAndGet();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    record(latencies, own, n);
                    finished.countDown();
                }
            }, name);
            t.start();
        }
        finished.await();
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed: " + failure.get(), failure.get());
        }
        return count.get() / ((System.nanoTime() - t0) / 1e9);
    }

    private static void record(Latencies latencies, long[] samples, int n) {
        if (latencies != null) {
            latencies.addAll(samples, n);
        }
    }
}
