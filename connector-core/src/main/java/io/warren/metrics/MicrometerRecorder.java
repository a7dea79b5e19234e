package io.warren.metrics;

import com.rabbitmq.client.MetricsCollector;
import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Warren's measurements in a Micrometer registry the application owns: {@code warren.rpc.calls},
 * {@code warren.rpc.served} (timers), {@code warren.casts}, {@code warren.notifications.sent},
 * {@code warren.notifications.received}, {@code warren.messages.rejected} (counters), and
 * amqp-client's own {@code rabbitmq.*} meters, all tagged {@code warren.connector=<name>}.
 * {@link #close()} removes every one of them; the registry itself is the application's and is
 * never closed here.
 */
public final class MicrometerRecorder implements MetricsRecorder {
    static final String TAG = "warren.connector";

    private final MeterRegistry registry;
    private final Tags tags;
    private final MicrometerMetricsCollector amqp;

    /**
     * @param registry the application's registry
     * @param connectorName the value of the {@code warren.connector} tag (a webapp's connector name)
     */
    public MicrometerRecorder(MeterRegistry registry, String connectorName) {
        this.registry = registry;
        this.tags = Tags.of(TAG, connectorName);
        this.amqp = new MicrometerMetricsCollector(registry, "rabbitmq", tags);
    }

    @Override
    public MetricsCollector amqpCollector() {
        return amqp;
    }

    @Override
    public void rpcCall(String topic, String method, long nanos, String outcome) {
        Timer.builder("warren.rpc.calls").description("RPC calls made, by outcome")
                .tags(tags).tag("topic", topic).tag("method", method).tag("outcome", outcome)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rpcServed(String topic, String method, long nanos, String outcome) {
        Timer.builder("warren.rpc.served").description("RPC requests served, by outcome")
                .tags(tags).tag("topic", topic).tag("method", method).tag("outcome", outcome)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void cast(String topic, String outcome) {
        count("warren.casts", "casts published", Tags.of("topic", topic, "outcome", outcome));
    }

    @Override
    public void notificationSent(String priority, String outcome) {
        count("warren.notifications.sent", "notifications published", Tags.of("priority", priority, "outcome", outcome));
    }

    @Override
    public void notificationReceived(String priority, String outcome) {
        count("warren.notifications.received", "notifications handled", Tags.of("priority", priority, "outcome", outcome));
    }

    @Override
    public void rejected(String kind) {
        count("warren.messages.rejected", "incoming messages refused, by kind", Tags.of("kind", kind));
    }

    private void count(String name, String description, Tags more) {
        Counter.builder(name).description(description).tags(tags).tags(more).register(registry).increment();
    }

    /** Removes every meter of this connector, Warren's and amqp-client's. */
    @Override
    public void close() {
        Tag mine = tags.stream().findFirst().orElseThrow();
        List<Meter> ours = new ArrayList<>();
        for (Meter m : registry.getMeters()) {
            String name = m.getId().getName();
            if ((name.startsWith("warren.") || name.startsWith("rabbitmq.")) && m.getId().getTags().contains(mine)) {
                ours.add(m);
            }
        }
        for (Meter m : ours) {
            registry.remove(m);
        }
    }
}
