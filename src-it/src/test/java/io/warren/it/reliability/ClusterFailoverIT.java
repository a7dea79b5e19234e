package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.Connector;
import io.warren.ConnectorState;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A three-node cluster of throw-away nodes, Warren's transport URL listing all three, quorum
 * queues. The node Warren publishes through is shut down mid-run: Warren fails over to another
 * address of its URL, RPC calls keep being answered, and no confirmed cast is lost.
 */
class ClusterFailoverIT {
    private final TestBroker broker = TestBroker.shared();

    @Test
    void stoppingTheConnectedNodeFailsOverLosesNothingConfirmedAndRpcKeepsAnswering() throws Exception {
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "cluster fail-over with quorum queues")) {
            ThrowawayNodes.Cluster cluster = nodes.startCluster(3);
            String name = CoreFixtures.uniqueName("failover");
            try (QuorumTraffic traffic = new QuorumTraffic("failover", cluster.transportUrl(), name)) {
                Connector client = traffic.client();
                CastLoad casts = traffic.casts();
                CallLoad calls = traffic.calls();
                traffic.awaitFlowing("before the stop");

                String connected = client.stats().connectedAddress();
                int victim = cluster.amqpPorts().indexOf(Integer.parseInt(connected.substring(connected.lastIndexOf(':') + 1)));
                assertThat(victim).as("index of the node at " + connected).isNotNegative();
                long t0 = System.nanoTime();
                nodes.stopNode(cluster.nodeName(victim));
                double stopTook = (System.nanoTime() - t0) / 1e9;

                CoreFixtures.waitUntil(Duration.ofSeconds(120), "client RUNNING on another node",
                        () -> client.state() == ConnectorState.RUNNING && !client.stats().connectedAddress().isEmpty()
                                && !client.stats().connectedAddress().equals(connected));
                double failedOverAfter = (System.nanoTime() - t0) / 1e9;
                String now = client.stats().connectedAddress();
                long answersAtFailover = calls.answered();
                int confirmedAtFailover = casts.confirmed();
                // Beyond amqp-client's own bound: a channel on the dying node can hold its connection's
                // shutdown for 1.05 x heartbeat (63 s here) before recovery starts (seen once in 4 runs).
                CoreFixtures.waitUntil(Duration.ofSeconds(120), "calls answered and casts confirmed after the fail-over",
                        () -> calls.answered() > answersAtFailover + 20 && casts.confirmed() > confirmedAtFailover + 200);
                double answeringAgainAfter = (System.nanoTime() - t0) / 1e9;

                traffic.stopAndVerify();

                System.out.printf("WARREN-RELIABILITY: cluster fail-over: stopped node %d (%s) in %.1f s; client moved "
                                + "%s -> %s, RUNNING %.1f s after the stop began, answering again by %.1f s; %s; %s%n",
                        victim + 1, connected, stopTook, connected, now, failedOverAfter, answeringAgainAfter,
                        casts.summary(), calls.summary());
            }
            assertThat(CoreFixtures.liveThreads(name)).isEmpty();
        }
    }
}
