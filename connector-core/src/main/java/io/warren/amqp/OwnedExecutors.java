package io.warren.amqp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executors of one connector, all on its {@link OwnedThreads}: the four handed to
 * amqp-client (heartbeat, consumer work, channel shutdown, topology recovery) so that it starts
 * no thread of its own but the socket reader, the timer for Warren's timeouts and keep-alives,
 * and the worker pools of its services. Shut down together, within one deadline.
 */
final class OwnedExecutors {
    private final OwnedThreads threads;
    private final int consumerThreads;
    private final List<ExecutorService> workerPools = new CopyOnWriteArrayList<>();
    private ScheduledThreadPoolExecutor heartbeat;
    private ScheduledThreadPoolExecutor timer;
    private ThreadPoolExecutor consumer;
    private ThreadPoolExecutor shutdown;
    private ThreadPoolExecutor recovery;

    OwnedExecutors(OwnedThreads threads, int consumerThreads) {
        this.threads = threads;
        this.consumerThreads = consumerThreads;
    }

    /** Makes the executors; their threads start on demand, so an idle connector pays nothing. */
    void create() {
        heartbeat = new ScheduledThreadPoolExecutor(1, threads.factory("heartbeat"));
        heartbeat.setRemoveOnCancelPolicy(true);
        timer = new ScheduledThreadPoolExecutor(1, threads.factory("timer"));
        timer.setRemoveOnCancelPolicy(true);
        consumer = fixedPool("consumer", consumerThreads);
        // amqp-client runs channel-shutdown work here and waits for it before recovering; with one
        // thread, a callback blocking on one connection's shutdown stalled the other's recovery
        // (seen once in ClusterFailoverIT).
        shutdown = fixedPool("shutdown", 4);
        recovery = fixedPool("recovery", 1);
    }

    /** @return amqp-client's heartbeat scheduler */
    ScheduledExecutorService heartbeat() {
        return heartbeat;
    }

    /** @return where amqp-client runs consumer callbacks ({@code warren_consumer_threads}) */
    ExecutorService consumer() {
        return consumer;
    }

    /** @return where amqp-client runs channel and connection shutdown work */
    ExecutorService shutdownWork() {
        return shutdown;
    }

    /** @return where amqp-client re-declares topology after a recovery */
    ExecutorService recovery() {
        return recovery;
    }

    /** @return a single thread for timeouts and keep-alives; its tasks must never block */
    ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * @param role the thread role, e.g. {@code rpc-compute}
     * @return a fixed pool of {@code size} threads with an unbounded queue, shut down with the rest
     */
    ExecutorService newWorkerPool(String role, int size) {
        ThreadPoolExecutor pool = fixedPool(role, size);
        workerPools.add(pool);
        return pool;
    }

    private ThreadPoolExecutor fixedPool(String role, int n) {
        return new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads.factory(role));
    }

    /** Shuts every executor down, worker pools first; whatever outlives the deadline is interrupted. */
    void shutdown(long deadlineNanos) {
        List<ExecutorService> all = new ArrayList<>(workerPools);
        for (ExecutorService e : new ExecutorService[] {consumer, shutdown, recovery, heartbeat, timer}) {
            if (e != null) {
                all.add(e);
            }
        }
        for (ExecutorService e : all) {
            e.shutdown();
        }
        for (ExecutorService e : all) {
            try {
                if (!e.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                e.shutdownNow();
            }
        }
    }
}
