package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.ConnectorState;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Eight threads call an RPC server without pause while the broker first drops both connectors'
 * connections and then blocks publishers (memory alarm) for a while. Every call ends with its
 * answer or a clear error within its timeout; nothing hangs; afterwards calls are answered again
 * and each connector runs exactly as many threads as before, whatever its callers do.
 */
class LoadIT {
    private static final int CALLERS = 8;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final TestBroker broker = TestBroker.shared();

    @Test
    void eightCallersAcrossAConnectionDropAndABlockedBrokerAllGetAnOutcomeAndThreadsStayFixed() throws Exception {
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "load across a drop and a resource alarm")) {
            ThrowawayNodes.Cluster node = nodes.startCluster(1);
            Rabbitmqctl ctl = nodes.rabbitmqctl(node.nodeName(0));
            String name = CoreFixtures.uniqueName("load");
            Connector server = connector(node, name + "-server", name);
            Connector client = connector(node, name + "-client", name);
            Rabbitmqctl.MemoryWatermark watermark = ctl.vmMemoryHighWatermark();
            List<String> phases = new ArrayList<>();
            try {
                Target target = Target.topic(name + "-topic");
                server.rpcServer(target.server("s1"), new CallLoad.Echo());
                assertThat(client.rpcClient().call(target, "echo", Map.of("text", "warm"),
                        CallOptions.defaults().timeout(CALL_TIMEOUT))).isEqualTo("warm");

                CallLoad load = new CallLoad("load", client.rpcClient(), target, CALL_TIMEOUT);
                long t0 = System.nanoTime();
                load.start(CALLERS);
                phases.add(phase(load, "steady", 8_000));
                forceCloseAndAwaitRecovery(ctl, client, server, 2);
                phases.add(phase(load, "after a forced close", 4_000));
                // Pools start their threads on demand (the recovery and shutdown ones on the first
                // recovery): count once the load and a first drop have started them all.
                Map<String, Integer> serverThreads = threadsByRole(name + "-server");
                Map<String, Integer> clientThreads = threadsByRole(name + "-client");

                // A resource alarm: the broker blocks every publisher.
                ctl.setVmMemoryHighWatermark(Rabbitmqctl.MemoryWatermark.relative(0));
                try {
                    phases.add(phase(load, "blocked", 8_000));
                } finally {
                    ctl.setVmMemoryHighWatermark(watermark);
                }
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "both connectors unblocked",
                        () -> client.state() == ConnectorState.RUNNING && server.state() == ConnectorState.RUNNING);
                phases.add(phase(load, "unblocked", 4_000));
                forceCloseAndAwaitRecovery(ctl, client, server, 4);
                long answeredBeforeEnd = load.answered();
                phases.add(phase(load, "after a second forced close", 8_000));
                load.stop(Duration.ofSeconds(10));
                double ran = (System.nanoTime() - t0) / 1e9;

                assertThat(load.answered()).as("answered after the alarm").isGreaterThan(answeredBeforeEnd);
                assertThat(load.unclearFailures()).isEmpty();
                assertThat(load.wrongAnswers()).isZero();
                assertThat(load.overran()).as("calls that outlived their timeout").isZero();
                assertThat(load.onlyTimeoutsOrLostConnections()).as(load.summary()).isTrue();
                assertThat(ctl.vmMemoryHighWatermark()).isEqualTo(watermark);
                // Bounded by configuration: 2 connections, 1 each of the single-thread pools.
                assertThat(clientThreads).containsEntry("io", 2).containsEntry("timer", 1).containsEntry("heartbeat", 1);
                assertThat(serverThreads.get("rpc-" + target.topic())).isEqualTo(4);
                assertThat(serverThreads.get("consumer")).isLessThanOrEqualTo(server.config().consumerThreads());
                // Threads that served dead connections end a moment after their replacements start.
                long settle = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (!(threadsByRole(name + "-server").equals(serverThreads)
                        && threadsByRole(name + "-client").equals(clientThreads)) && System.nanoTime() < settle) {
                    Thread.sleep(100);
                }
                assertThat(threadsByRole(name + "-server")).as("server threads by role, after vs before the faults")
                        .isEqualTo(serverThreads);
                assertThat(threadsByRole(name + "-client")).as("client threads by role, after vs before the faults")
                        .isEqualTo(clientThreads);
                System.out.printf("WARREN-RELIABILITY: load %.0f s: %s; phases %s; threads before = after: client %s, "
                        + "server %s%n", ran, load.summary(), phases, clientThreads, serverThreads);
            } finally {
                ctl.setVmMemoryHighWatermark(watermark);
                client.stop(Duration.ofSeconds(15));
                server.stop(Duration.ofSeconds(15));
            }
            assertThat(CoreFixtures.liveThreads(name)).isEmpty();
        }
    }

    /** Closes every connection of the node (it serves only these two connectors) and waits for both to recover. */
    private static void forceCloseAndAwaitRecovery(Rabbitmqctl ctl, Connector client, Connector server, long reconnects) {
        ctl.run("close_all_connections", "warren load test: forced close");
        CoreFixtures.waitUntil(Duration.ofSeconds(30), "both connectors recovered from the forced close",
                () -> client.stats().reconnectCount() >= reconnects && server.stats().reconnectCount() >= reconnects
                        && client.state() == ConnectorState.RUNNING && server.state() == ConnectorState.RUNNING);
    }

    private static String phase(CallLoad load, String label, long millis) throws InterruptedException {
        long answered = load.answered();
        long failed = load.failed();
        Thread.sleep(millis);
        return label + " " + millis / 1000 + " s: +" + (load.answered() - answered) + " answered, +"
                + (load.failed() - failed) + " failed";
    }

    /** Live threads of a connector counted by role: {@code warren-<name>-<role>-<n>} without the number. */
    private static Map<String, Integer> threadsByRole(String connector) {
        Map<String, Integer> roles = new TreeMap<>();
        for (String thread : CoreFixtures.liveThreads(connector)) {
            String role = thread.substring(("warren-" + connector + "-").length()).replaceAll("-\\d+$", "");
            roles.merge(role, 1, Integer::sum);
        }
        return roles;
    }

    private static Connector connector(ThrowawayNodes.Cluster node, String name, String exchange) {
        Connector connector = Connector.create(ConnectorConfig.builder().transportUrl(node.transportUrl()).name(name)
                .option("control_exchange", exchange)
                .option("rabbit_retry_interval", "1")
                .option("rabbit_interval_max", "2")
                .option("warren_publish_timeout_ms", "3000")
                // A pool smaller than the callers, so the load fills it before threads are counted.
                .option("executor_thread_pool_size", "4")
                .build());
        connector.start();
        return connector;
    }
}
