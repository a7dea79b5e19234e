package io.warren;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import io.warren.it.support.ThrowawayNodes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A broker resource alarm blocks publishers. Warren reports BLOCKED, a publish fails within its
 * own timeout with an error that says the broker is blocked, and publishing resumes once the
 * alarm clears.
 */
class ConnectorBlockedIT {
    private final TestBroker broker = TestBroker.shared();

    @Test
    void aResourceAlarmBlocksPublishesForAtMostTheirTimeout() throws Exception {
        // On a throw-away node: an alarm on the machine's broker would block every other test.
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "resource alarms (connection.blocked)")) {
            ThrowawayNodes.Cluster node = nodes.startCluster(1);
            blockAndResume(node.transportUrl(), nodes.rabbitmqctl(node.nodeName(0)));
        }
    }

    private static void blockAndResume(String transportUrl, Rabbitmqctl ctl) throws Exception {
        String name = CoreFixtures.uniqueName("blocked");
        Connector connector = Connector.create(ConnectorConfig.builder().transportUrl(transportUrl).name(name)
                .option("warren_publish_timeout_ms", "2000").build());
        connector.start();
        Rabbitmqctl.MemoryWatermark watermark = ctl.vmMemoryHighWatermark();
        try {
            ctl.setVmMemoryHighWatermark(Rabbitmqctl.MemoryWatermark.relative(0));
            // RabbitMQ tells a connection it is blocked once it publishes; this first publish
            // cannot be confirmed while the alarm lasts.
            CompletableFuture<Void> first = connector.runtime().publisher().publish(CoreFixtures.message("first"));
            CoreFixtures.waitUntil(Duration.ofSeconds(15), "state BLOCKED",
                    () -> connector.state() == ConnectorState.BLOCKED);
            assertThat(connector.health().status()).isEqualTo(Health.Status.DEGRADED);
            assertThat(connector.stats().blocked()).isTrue();

            CompletableFuture<Void> second = connector.runtime().publisher().publish(CoreFixtures.message("second"));
            for (CompletableFuture<Void> f : java.util.List.of(first, second)) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                    throw new AssertionError("a publish was confirmed while the broker blocked publishers");
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(BrokerBlockedException.class)
                            .hasMessageContaining(name).hasMessageContaining("blocking publishers");
                }
            }
        } finally {
            ctl.setVmMemoryHighWatermark(watermark);
        }
        CoreFixtures.waitUntil(Duration.ofSeconds(15), "state RUNNING after the alarm cleared",
                () -> connector.state() == ConnectorState.RUNNING);
        CoreFixtures.publishAndConfirm(connector.runtime());
        connector.stop(Duration.ofSeconds(10));
        assertThat(CoreFixtures.liveThreads(name)).isEmpty();
    }
}
