package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import java.time.Duration;

/**
 * What the cluster faults run through a cluster while they break it: a server and a client
 * connector on quorum queues, casts ({@link CastLoad}, at most 200 unconfirmed) and two callers
 * ({@link CallLoad}) under way once constructed, and one verdict at the end: every confirmed cast
 * received, and every failure a clear one.
 */
final class QuorumTraffic implements AutoCloseable {
    private final Connector server;
    private final Connector client;
    private final CastLoad casts;
    private final CallLoad calls;

    /**
     * @param label what the calls are named after in their summary and threads
     * @param options extra connector options beyond the fault tests' shared ones, name/value pairs
     */
    QuorumTraffic(String label, String transportUrl, String name, String... options) {
        server = connector(transportUrl, name + "-server", name, options);
        try {
            client = connector(transportUrl, name + "-client", name, options);
        } catch (RuntimeException e) {
            server.stop(Duration.ofSeconds(15));
            throw e;
        }
        Target castTarget = Target.topic(name + "-casts");
        casts = new CastLoad("quorum", client.rpcClient(), castTarget, 200);
        server.rpcServer(castTarget.server("s1"), casts.sink());
        Target callTarget = Target.topic(name + "-calls");
        server.rpcServer(callTarget.server("s1"), new CallLoad.Echo());
        calls = new CallLoad(label, client.rpcClient(), callTarget, Duration.ofSeconds(5));
        casts.start();
        calls.start(2);
    }

    /** Waits until the traffic flows: casts confirmed and calls answered. */
    void awaitFlowing(String before) {
        CoreFixtures.waitUntil(Duration.ofSeconds(30), "casts confirmed and calls answered " + before,
                () -> casts.confirmed() > 200 && calls.answered() > 20);
    }

    Connector client() {
        return client;
    }

    CastLoad casts() {
        return casts;
    }

    CallLoad calls() {
        return calls;
    }

    /** Stops the traffic and asserts: every confirmed cast received, no unclear failure, no wrong answer. */
    void stopAndVerify() throws InterruptedException {
        casts.stop(Duration.ofSeconds(30));
        calls.stop(Duration.ofSeconds(10));
        CoreFixtures.waitUntil(Duration.ofSeconds(120), "every confirmed cast received",
                () -> casts.confirmedButNotReceived().isEmpty());
        assertThat(casts.unclearFailures()).isEmpty();
        assertThat(calls.unclearFailures()).isEmpty();
        assertThat(calls.wrongAnswers()).isZero();
        assertThat(calls.overran()).isZero();
        assertThat(calls.onlyTimeoutsOrLostConnections()).as(calls.summary()).isTrue();
    }

    @Override
    public void close() {
        client.stop(Duration.ofSeconds(15));
        server.stop(Duration.ofSeconds(15));
    }

    private static Connector connector(String transportUrl, String name, String exchange, String... options) {
        ConnectorConfig.Builder config = ConnectorConfig.builder().transportUrl(transportUrl).name(name)
                .option("rabbit_quorum_queue", "true")
                .option("control_exchange", exchange)
                .option("rabbit_retry_interval", "1")
                .option("rabbit_interval_max", "2")
                .option("warren_publish_timeout_ms", "5000")
                .option("warren_connection_timeout_ms", "3000");
        if (options.length % 2 != 0) {
            throw new IllegalArgumentException("options come in name/value pairs: " + String.join(", ", options));
        }
        for (int i = 0; i < options.length; i += 2) {
            config.option(options[i], options[i + 1]);
        }
        Connector connector = Connector.create(config.build());
        connector.start();
        return connector;
    }
}
