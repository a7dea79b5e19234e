package io.warren.metrics;

import com.rabbitmq.client.MetricsCollector;
import com.rabbitmq.client.NoOpMetricsCollector;

/**
 * Where Warren reports what it measures. The no-op recorder is used unless the application gave
 * the connector a Micrometer registry, so metrics cost nothing when nobody reads them.
 *
 * <p>Outcomes are short lower-case words: {@code ok}, {@code remote_error}, {@code timeout},
 * {@code failed}, {@code rejected}.
 */
public interface MetricsRecorder extends AutoCloseable {
    /**
     * The tag value for a method or priority that came off the wire and names nothing Warren
     * serves: tags hold only bounded sets of values.
     */
    String UNKNOWN = "<unknown>";

    /** @return the collector handed to amqp-client (its own {@code rabbitmq.*} meters) */
    MetricsCollector amqpCollector();

    /** An RPC call made by this connector finished. */
    void rpcCall(String topic, String method, long nanos, String outcome);

    /** An RPC request served by this connector finished. */
    void rpcServed(String topic, String method, long nanos, String outcome);

    /** A cast (or fanout cast) was published. */
    void cast(String topic, String outcome);

    /** A notification was published. */
    void notificationSent(String priority, String outcome);

    /** A notification was handled by a listener. */
    void notificationReceived(String priority, String outcome);

    /** An incoming message was refused; {@code kind} says why (malformed_json, too_large, ...). */
    void rejected(String kind);

    /** Removes every meter this recorder registered. */
    @Override
    void close();

    /** @return a recorder that records nothing */
    static MetricsRecorder noop() {
        return NoopRecorder.INSTANCE;
    }
}

/** Records nothing. Stateless, so one shared instance is safe. */
final class NoopRecorder implements MetricsRecorder {
    static final NoopRecorder INSTANCE = new NoopRecorder();
    private final MetricsCollector collector = new NoOpMetricsCollector();

    private NoopRecorder() {
    }

    @Override
    public MetricsCollector amqpCollector() {
        return collector;
    }

    @Override
    public void rpcCall(String topic, String method, long nanos, String outcome) {
    }

    @Override
    public void rpcServed(String topic, String method, long nanos, String outcome) {
    }

    @Override
    public void cast(String topic, String outcome) {
    }

    @Override
    public void notificationSent(String priority, String outcome) {
    }

    @Override
    public void notificationReceived(String priority, String outcome) {
    }

    @Override
    public void rejected(String kind) {
    }

    @Override
    public void close() {
    }
}
