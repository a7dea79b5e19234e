package io.warren.bench;

import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;

/**
 * The RabbitMQ the benchmarks run against: {@code WARREN_BENCH_URL} (an amqp:// URI), default the
 * machine's broker. Benchmarks never run on the embedded broker: its figures would say nothing
 * about RabbitMQ.
 */
final class BenchBroker {
    private final URI uri;

    BenchBroker(String amqpUri) {
        this.uri = URI.create(amqpUri);
    }

    static BenchBroker fromEnvironment() {
        String url = System.getenv().getOrDefault("WARREN_BENCH_URL", "amqp://guest:guest@127.0.0.1:5672");
        return new BenchBroker(url);
    }

    String amqpUri() {
        return uri.toString();
    }

    /** The same broker as an oslo transport URL. */
    String transportUrl() {
        return "rabbit://" + uri.getRawUserInfo() + "@" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5672 : uri.getPort()) + "/";
    }

    ConnectionFactory factory() {
        try {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(uri);
            return f;
        } catch (Exception e) {
            throw new IllegalArgumentException("WARREN_BENCH_URL is not an amqp:// URI: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return uri.getHost() + ":" + uri.getPort();
    }
}
