package io.warren.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** Channel checkout and return under contention: threads hammer one pool, ns per checkout + return. */
public final class ChannelPoolBench {
    private ChannelPoolBench() {
    }

    /**
     * @param runtime a started runtime
     * @param threads contending threads
     * @param duration how long they contend
     * @return nanoseconds of wall time per checkout + return, per thread
     */
    public static double nanosPerCheckout(ConnectorRuntime runtime, int threads, Duration duration) throws Exception {
        ChannelPool pool = runtime.channelPool();
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder ops = new LongAdder();
        CountDownLatch ready = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                ready.countDown();
                long n = 0;
                try {
                    while (running.get()) {
                        PooledChannel ch = pool.checkout(Long.MAX_VALUE);
                        pool.release(ch);
                        n++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    ops.add(n);
                }
            }, "bench-pool-" + i);
            workers.add(t);
            t.start();
        }
        ready.await();
        long t0 = System.nanoTime();
        Thread.sleep(duration.toMillis());
        running.set(false);
        for (Thread t : workers) {
            t.join();
        }
        long elapsed = System.nanoTime() - t0;
        return (double) elapsed * threads / ops.sum();
    }
}
