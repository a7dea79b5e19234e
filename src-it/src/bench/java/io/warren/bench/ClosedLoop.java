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

    /** A trial's outcome: repetitions, their rate, and what the whole JVM spent meanwhile. */
    static final class Result {
        final long count;
        final double perSecond;
        final ProcessCost cost;

        Result(long count, double perSecond, ProcessCost cost) {
            this.count = count;
            this.perSecond = perSecond;
            this.cost = cost;
        }

        /** @return JVM CPU (every thread) per repetition, in microseconds */
        double cpuMicrosEach() {
            return count == 0 ? Double.NaN : cost.cpuNanos / 1000.0 / count;
        }

        /** @return voluntary context switches (every thread) per repetition */
        double voluntarySwitchesEach() {
            return count == 0 ? Double.NaN : (double) cost.voluntarySwitches / count;
        }

        /** @return involuntary context switches (every thread) per repetition */
        double involuntarySwitchesEach() {
            return count == 0 ? Double.NaN : (double) cost.involuntarySwitches / count;
        }
    }

    /**
     * @param latencies where every repetition's time goes, or null
     * @return repetitions per second over all threads
     */
    static double run(String name, List<? extends Operation> perThread, Duration trial, Latencies latencies)
            throws InterruptedException {
        return measure(name, perThread, trial, latencies).perSecond;
    }

    /**
     * As {@link #run}, with the JVM's CPU time and context switches over the trial. The loop
     * threads stay alive until the end has been counted: a thread's switches vanish with it.
     */
    static Result measure(String name, List<? extends Operation> perThread, Duration trial, Latencies latencies)
            throws InterruptedException {
        AtomicLong count = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(perThread.size());
        CountDownLatch counted = new CountDownLatch(1);
        ProcessCost start = ProcessCost.now();
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
                    try {
                        counted.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, name);
            t.start();
        }
        finished.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        ProcessCost cost = ProcessCost.now().since(start);
        counted.countDown();
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed: " + failure.get(), failure.get());
        }
        return new Result(count.get(), count.get() / seconds, cost);
    }

    private static void record(Latencies latencies, long[] samples, int n) {
        if (latencies != null) {
            latencies.addAll(samples, n);
        }
    }
}
