package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.ConnectorState;
import io.warren.PublishException;
import io.warren.RpcClient;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.NetworkLink;
import io.warren.it.support.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The network between Warren and the broker goes silent: no close, no reset, every byte dropped.
 * Only heartbeats can tell. They do, within a bound tied to the heartbeat; recovery starts; what
 * was in flight fails with a clear error instead of waiting for its timeout; once the network is
 * back the connector recovers without help. Runs on RabbitMQ and on the embedded broker.
 */
class SilentNetworkLossIT {
    private static final int HEARTBEAT_SECONDS = 2;

    private final TestBroker broker = TestBroker.shared();

    /** Echoes its argument. */
    public static final class Echo {
        public String echo(String text) {
            return text;
        }
    }

    @Test
    void heartbeatsDetectASilentLinkFailInFlightWorkAndRecoveryFollowsTheRepair() throws Exception {
        String name = CoreFixtures.uniqueName("silent");
        String exchange = name + "-exchange";
        Target target = Target.topic(name + "-topic");
        Map<ConnectorState, Long> firstEntered = new ConcurrentHashMap<>();

        Connector server = Connector.create(CoreFixtures.config(broker, name + "-server", "control_exchange", exchange));
        try (NetworkLink link = NetworkLink.start(broker.host(), broker.port())) {
            server.start();
            server.rpcServer(target.server("s1"), new Echo());
            Connector client = Connector.builder(CoreFixtures.configVia(broker, link.port(), name,
                            "control_exchange", exchange,
                            "heartbeat_timeout_threshold", Integer.toString(HEARTBEAT_SECONDS),
                            "rabbit_retry_interval", "1",
                            "warren_publish_timeout_ms", "10000"))
                    .stateListener((c, from, to) -> firstEntered.putIfAbsent(to, System.nanoTime()))
                    .build();
            try {
                client.start();
                assertThat(client.stats().negotiatedHeartbeatSeconds()).isEqualTo(HEARTBEAT_SECONDS);
                RpcClient rpc = client.rpcClient();
                CallOptions call = CallOptions.defaults().timeout(Duration.ofSeconds(30));
                assertThat(rpc.call(target, "echo", Map.of("text", "before"), call)).isEqualTo("before");
                firstEntered.clear();

                link.cut();
                long cutAt = System.nanoTime();
                List<CompletableFuture<?>> inFlight = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    inFlight.add(rpc.castAsync(target, "echo", Map.of("text", "cast " + i), CallOptions.defaults()));
                }
                CompletableFuture<Object> callInFlight = rpc.callAsync(target, "echo", Map.of("text", "lost"), call);
                inFlight.add(callInFlight);

                CoreFixtures.waitUntil(Duration.ofSeconds(20), "the silent link noticed (state RECOVERING)",
                        () -> firstEntered.containsKey(ConnectorState.RECOVERING));
                double detectedAfter = seconds(firstEntered.get(ConnectorState.RECOVERING) - cutAt);
                // amqp-client gives up after 8 silent reads of heartbeat/4: 2.25 x heartbeat after the last frame.
                assertThat(detectedAfter).as("seconds from the cut to RECOVERING").isLessThan(3.0 * HEARTBEAT_SECONDS);

                // In flight: failed as lost with the connection, well before their 10 s / 30 s timeouts.
                for (CompletableFuture<?> f : inFlight) {
                    Throwable failure = failureOf(f, Duration.ofSeconds(5));
                    assertThat(failure).isInstanceOf(PublishException.class);
                    assertThat(((PublishException) failure).reason()).isEqualTo(PublishException.Reason.CONNECTION_LOST);
                    assertThat(failure.getMessage()).contains(name);
                }
                double failedAfter = seconds(System.nanoTime() - cutAt);
                assertThat(client.health().status()).isEqualTo(io.warren.Health.Status.DOWN);

                // A publish during the outage waits at most its timeout, then says why.
                CompletableFuture<Void> duringOutage = rpc.castAsync(target, "echo", Map.of("text", "during"),
                        CallOptions.defaults());
                Throwable outageFailure = failureOf(duringOutage, Duration.ofSeconds(15));
                assertThat(outageFailure).isInstanceOf(PublishException.class)
                        .hasMessageContaining("lost and recovering").hasMessageContaining("10000 ms");

                link.restore();
                long restoredAt = System.nanoTime();
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "RUNNING again after the link came back",
                        () -> client.state() == ConnectorState.RUNNING);
                double recoveredAfter = seconds(System.nanoTime() - restoredAt);
                assertThat(rpc.call(target, "echo", Map.of("text", "after"), call)).isEqualTo("after");
                assertThat(client.stats().reconnectCount()).isGreaterThanOrEqualTo(1);

                System.out.printf("WARREN-RELIABILITY: silent loss (%s, heartbeat %d s): detected after %.2f s, "
                                + "%d in-flight failed as CONNECTION_LOST by %.2f s, recovered %.2f s after repair, "
                                + "%d bytes dropped%n", broker.kind().switchValue(), HEARTBEAT_SECONDS, detectedAfter,
                        inFlight.size(), failedAfter, recoveredAfter, link.droppedBytes());
            } finally {
                client.stop(Duration.ofSeconds(15));
            }
        } finally {
            server.stop(Duration.ofSeconds(15));
            ReliabilityFixtures.deleteQuietly(broker, List.of(target.topic(), target.topic() + ".s1"), List.of(exchange));
        }
        assertThat(CoreFixtures.liveThreads(name)).as("threads of both connectors after stop").isEmpty();
    }

    private static Throwable failureOf(CompletableFuture<?> future, Duration bound) throws Exception {
        try {
            Object value = future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
