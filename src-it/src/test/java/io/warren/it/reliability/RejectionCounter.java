package io.warren.it.reliability;

import com.rabbitmq.client.MetricsCollector;
import com.rabbitmq.client.NoOpMetricsCollector;
import io.warren.metrics.MetricsRecorder;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A metrics recorder that counts refused messages by kind and handled notifications by outcome. */
final class RejectionCounter implements MetricsRecorder {
    private final MetricsCollector collector = new NoOpMetricsCollector();
    private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> notifications = new ConcurrentHashMap<>();

    @Override
    public MetricsCollector amqpCollector() {
        return collector;
    }

    @Override
    public void rpcCall(String topic, String method, long nanos, String outcome) {
    }

    @Override
    public void rpcServed(String topic, String method, long nanos, String outcome) {
        served.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void cast(String topic, String outcome) {
    }

    @Override
    public void notificationSent(String priority, String outcome) {
    }

    @Override
    public void notificationReceived(String priority, String outcome) {
        notifications.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void rejected(String kind) {
        rejected.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void close() {
    }

    long rejectedOf(String kind) {
        AtomicLong n = rejected.get(kind);
        return n == null ? 0 : n.get();
    }

    long rejectedTotal() {
        return sum(rejected);
    }

    long servedTotal() {
        return sum(served);
    }

    long notificationsTotal() {
        return sum(notifications);
    }

    Map<String, Long> rejectedByKind() {
        return snapshot(rejected);
    }

    Map<String, Long> servedByOutcome() {
        return snapshot(served);
    }

    Map<String, Long> notificationsByOutcome() {
        return snapshot(notifications);
    }

    private static long sum(Map<String, AtomicLong> counts) {
        long n = 0;
        for (AtomicLong v : counts.values()) {
            n += v.get();
        }
        return n;
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
