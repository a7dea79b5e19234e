package io.warren.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place a connector's threads come from. Every thread is named
 * {@code warren-<owner>-<role>-<n>}, is a daemon, has no context class loader (so it cannot pin a
 * webapp's class loader), and is remembered until the connector is stopped, when
 * {@link #joinAll(Duration)} waits for each of them: containers look for leaked threads right
 * after {@code contextDestroyed} returns, and executor workers and amqp-client's reader thread
 * outlive {@code close()} / {@code awaitTermination()} by a few milliseconds.
 */
final class OwnedThreads {
    private final String owner;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicInteger> counters = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param owner the connector's name, already safe for thread names */
    OwnedThreads(String owner) {
        this.owner = owner;
    }

    /**
     * A factory for threads of one role. amqp-client renames the reader thread it creates; the
     * wrapper below renames it back when it starts, so {@code jstack} shows who owns it.
     *
     * @param role a short word: heartbeat, consumer, io, timer, ...
     * @return a factory whose threads this object owns
     */
    ThreadFactory factory(String role) {
        AtomicInteger counter = counters.computeIfAbsent(role, r -> new AtomicInteger());
        return runnable -> {
            if (closed) {
                throw new IllegalStateException("warren-" + owner + " is stopped; no new " + role + " thread");
            }
            String name = "warren-" + owner + "-" + role + "-" + counter.incrementAndGet();
            // A thread stays listed until it is dead, not merely done: joinAll must wait for the
            // last few microseconds of its exit too.
            threads.removeIf(t -> !t.isAlive() && t.getState() == Thread.State.TERMINATED);
            Thread thread = new Thread(() -> {
                Thread.currentThread().setName(name);
                runnable.run();
            }, name);
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            threads.add(thread);
            return thread;
        };
    }

    /** @return the threads made here that are still alive */
    List<Thread> alive() {
        List<Thread> alive = new ArrayList<>();
        for (Thread t : threads) {
            if (t.isAlive()) {
                alive.add(t);
            }
        }
        return alive;
    }

    /** Refuses new threads from now on; called once the executors are shut down. */
    void close() {
        closed = true;
    }

    /**
     * Waits for every thread made here to end. Threads still alive halfway through the bound
     * are interrupted (a recovery thread sleeping between attempts ends only that way).
     *
     * @param timeout the bound on the whole wait
     * @return the threads still alive when the bound ran out (empty on success)
     */
    List<Thread> joinAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long interruptAt = System.nanoTime() + timeout.toNanos() / 2;
        boolean interrupted = false;
        for (Thread t : List.copyOf(threads)) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                long untilInterrupt = interruptAt - System.nanoTime();
                if (!interrupted && untilInterrupt > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, untilInterrupt);
                }
                if (t.isAlive()) {
                    if (!interrupted) {
                        alive().forEach(Thread::interrupt);
                        interrupted = true;
                    }
                    TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Thread> left = alive();
        left.remove(Thread.currentThread());
        return left;
    }
}
