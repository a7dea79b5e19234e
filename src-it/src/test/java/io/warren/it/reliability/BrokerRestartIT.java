package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.ConnectorState;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The broker restarts ({@code rabbitmqctl stop_app} / {@code start_app}) while casts with confirms
 * flow to a durable classic queue and to a quorum queue, each served by a Warren RPC server. On a
 * throw-away node: the machine's broker serves other tests.
 */
class BrokerRestartIT {
    private final TestBroker broker = TestBroker.shared();

    @Test
    void everyConfirmedCastSurvivesABrokerRestartAndTheConnectorsRecoverByThemselves() throws Exception {
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "broker restart under load")) {
            ThrowawayNodes.Cluster node = nodes.startCluster(1);
            Rabbitmqctl ctl = nodes.rabbitmqctl(node.nodeName(0)).withTimeout(Duration.ofSeconds(120));
            String name = CoreFixtures.uniqueName("restart");
            Connector classic = connector(node, name + "-classic", "amqp_durable_queues");
            Connector quorum = connector(node, name + "-quorum", "rabbit_quorum_queue");
            try {
                CastLoad classicLoad = load(classic, "classic");
                CastLoad quorumLoad = load(quorum, "quorum");
                classicLoad.start();
                quorumLoad.start();
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "casts confirmed before the restart",
                        () -> classicLoad.confirmed() > 200 && quorumLoad.confirmed() > 200);

                long t0 = System.nanoTime();
                ctl.run("stop_app");
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "both connectors noticed the restart",
                        () -> classic.state() != ConnectorState.RUNNING && quorum.state() != ConnectorState.RUNNING);
                Thread.sleep(2000); // a real outage: casts meet a broker that is not there
                ctl.run("start_app");
                double downFor = (System.nanoTime() - t0) / 1e9;
                long up = System.nanoTime();
                CoreFixtures.waitUntil(Duration.ofSeconds(60), "both connectors RUNNING again without help",
                        () -> classic.state() == ConnectorState.RUNNING && quorum.state() == ConnectorState.RUNNING);
                double recoveredAfter = (System.nanoTime() - up) / 1e9;
                int classicBefore = classicLoad.confirmed();
                int quorumBefore = quorumLoad.confirmed();
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "casts confirmed after the restart",
                        () -> classicLoad.confirmed() > classicBefore + 200 && quorumLoad.confirmed() > quorumBefore + 200);
                classicLoad.stop(Duration.ofSeconds(30));
                quorumLoad.stop(Duration.ofSeconds(30));

                for (CastLoad load : List.of(classicLoad, quorumLoad)) {
                    CoreFixtures.waitUntil(Duration.ofSeconds(60), "every confirmed cast received",
                            () -> load.confirmedButNotReceived().isEmpty());
                    assertThat(load.unclearFailures()).as("failures that are not a clear Warren error").isEmpty();
                    assertThat(load.confirmed() + load.failed()).isEqualTo(load.sent());
                    System.out.println("WARREN-RELIABILITY: broker restart (down " + String.format("%.1f", downFor)
                            + " s, RUNNING " + String.format("%.1f", recoveredAfter) + " s after start_app): "
                            + load.summary() + "; first failure: " + load.firstFailureMessage());
                }
                assertThat(classic.stats().reconnectCount()).isGreaterThanOrEqualTo(2);
                assertThat(quorum.stats().reconnectCount()).isGreaterThanOrEqualTo(2);
            } finally {
                classic.stop(Duration.ofSeconds(15));
                quorum.stop(Duration.ofSeconds(15));
            }
            assertThat(CoreFixtures.liveThreads(name)).isEmpty();
        }
    }

    private static Connector connector(ThrowawayNodes.Cluster node, String name, String durabilityOption) {
        Connector connector = Connector.create(ConnectorConfig.builder().transportUrl(node.transportUrl()).name(name)
                .option(durabilityOption, "true")
                .option("control_exchange", name + "-exchange")
                .option("rabbit_retry_interval", "1")
                .option("rabbit_interval_max", "2")
                .option("warren_publish_timeout_ms", "5000")
                .build());
        connector.start();
        return connector;
    }

    private static CastLoad load(Connector connector, String label) {
        Target target = Target.topic(connector.name() + "-topic");
        CastLoad load = new CastLoad(label, connector.rpcClient(), target, 200);
        connector.rpcServer(target.server("s1"), load.sink());
        return load;
    }
}
