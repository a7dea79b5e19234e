package io.warren.amqp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds publishers back while the broker cannot take messages: while it blocks the connection
 * (resource alarm) or while the connection is being recovered. A publisher waits here at most
 * its own timeout, then fails with the reason the gate was closed for, so no thread waits
 * forever and the error says what the broker was doing.
 */
final class PublishGate {
    /** Why the gate is closed. */
    enum Closure {
        BLOCKED, RECOVERING
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    // Read without the lock on every publish: the gate is open nearly always.
    private volatile Closure closure;
    private String reason = "";

    void close(Closure why, String detail) {
        lock.lock();
        try {
            closure = why;
            reason = detail == null ? "" : detail;
        } finally {
            lock.unlock();
        }
    }

    void open() {
        lock.lock();
        try {
            closure = null;
            reason = "";
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return why the gate is closed, or null when open */
    Closure closure() {
        return closure;
    }

    String reason() {
        lock.lock();
        try {
            return reason;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param deadlineNanos a {@link System#nanoTime()} value
     * @return null when the gate is open, else why it stayed closed until the deadline
     */
    Closure awaitOpen(long deadlineNanos) throws InterruptedException {
        if (closure == null) {
            return null;
        }
        lock.lock();
        try {
            while (closure != null) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return closure;
                }
                opened.await(left, TimeUnit.NANOSECONDS);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }
}
