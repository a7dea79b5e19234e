package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.ConnectionFactory;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.ConnectorMXBean;
import io.warren.ConnectorStats;
import io.warren.NotificationEndpoint;
import io.warren.RequestContext;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import io.warren.jmx.ConnectorJmx;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.management.JMX;
import org.junit.jupiter.api.Test;

/**
 * The broker cancels Warren's consumers: an operator deletes (rabbitmqctl delete_queue) a server's
 * topic queue, its fanout queue, a listener's notification queue and a client's reply queue while
 * they are consumed, under steady RPC and casts. Each time Warren gets {@code basic.cancel},
 * declares the queue again with its bindings and consumes it again within {@link #RESUME_BOUND},
 * counts it in stats and JMX, and RPC keeps answering; every cast confirmed once its queue was back
 * is received. On a private vhost of the machine's RabbitMQ (deleting queues touches nobody else).
 */
class ConsumerCancelIT {
    /** The bound this test asserts for "consuming again": basic.cancel, re-declare, basic.consume. */
    static final Duration RESUME_BOUND = Duration.ofSeconds(5);

    private final TestBroker shared = TestBroker.shared();

    @Test
    void queuesDeletedUnderTheConsumersAreDeclaredAgainAndConsumedAgain() throws Exception {
        try (TestBroker.PrivateVhost vhost = shared.privateVhost("deleting queues Warren consumes")) {
            TestBroker broker = vhost.broker();
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(shared, "delete_queue in a private vhost");
            String name = CoreFixtures.uniqueName("cancel");
            String notifyTopic = name + "-notifications";
            Connector server = Connector.create(CoreFixtures.config(broker, name + "-server",
                    "control_exchange", name, "topics", notifyTopic));
            Connector client = Connector.create(CoreFixtures.config(broker, name + "-client",
                    "control_exchange", name, "topics", notifyTopic, "driver", "messagingv2",
                    "warren_publish_timeout_ms", "5000"));
            server.start();
            client.start();
            try (ConnectorJmx serverJmx = ConnectorJmx.register(server); ConnectorJmx clientJmx = ConnectorJmx.register(client)) {
                Target castTarget = Target.topic(name + "-casts");
                CastLoad casts = new CastLoad("cancel", client.rpcClient(), castTarget, 50);
                server.rpcServer(castTarget.server("s1"), casts.sink());
                Target callTarget = Target.topic(name + "-calls");
                server.rpcServer(callTarget.server("s1"), new CallLoad.Echo());
                CallLoad calls = new CallLoad("cancel", client.rpcClient(), callTarget, Duration.ofSeconds(5));
                Set<String> notified = ConcurrentHashMap.newKeySet();
                server.notificationListener(null, true, new NotificationEndpoint() {
                    @Override
                    public Result info(RequestContext ctx, String publisher, String event, Object payload,
                                       Map<String, Object> md) {
                        notified.add(event);
                        return Result.HANDLED;
                    }
                });

                casts.start();
                calls.start(2);
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "casts confirmed and calls answered before any delete",
                        () -> casts.confirmed() > 200 && calls.answered() > 20);

                List<String> figures = new ArrayList<>();
                // 1. The topic queue of the cast server, under a steady stream of casts.
                long sentBefore = casts.sent();
                Resume topic = deleteAndAwaitResume(ctl, vhost.name(), castTarget.topic(), server::stats, 1, casts::sent);
                figures.add("topic queue " + topic);
                // 2. The fanout queue of the cast server: a fanout cast reaches it afterwards.
                String fanoutQueue = queueStartingWith(ctl, vhost.name(), castTarget.topic() + "_fanout_");
                figures.add("fanout queue " + deleteAndAwaitResume(ctl, vhost.name(), fanoutQueue, server::stats, 2, casts::sent));
                client.rpcClient().cast(castTarget.fanout(true), "take", Map.of("id", "fanout-after-delete"));
                // 3. The listener's notification queue: a notification sent afterwards is handled.
                figures.add("notification queue "
                        + deleteAndAwaitResume(ctl, vhost.name(), notifyTopic + ".info", server::stats, 3, casts::sent));
                client.notifier("it.cancel").info(Map.of(), "after.delete", Map.of("n", 1));
                // 4. The client's reply queue, with calls in flight: a reply that finds no queue is
                //    retried (mandatory, every 250 ms) until the queue is back.
                String replyQueue = queueStartingWith(ctl, vhost.name(), "reply_");
                long answeredBefore = calls.answered();
                figures.add("reply queue " + deleteAndAwaitResume(ctl, vhost.name(), replyQueue, client::stats, 1, casts::sent));
                CoreFixtures.waitUntil(Duration.ofSeconds(15), "calls answered after the reply queue came back",
                        () -> calls.answered() > answeredBefore + 20);

                CoreFixtures.waitUntil(Duration.ofSeconds(10), "the fanout cast and the notification after the deletes",
                        () -> casts.sink().seen().containsKey("fanout-after-delete") && notified.contains("after.delete"));
                casts.stop(Duration.ofSeconds(15));
                calls.stop(Duration.ofSeconds(10));
                CoreFixtures.waitUntil(Duration.ofSeconds(15), "every cast confirmed after its queue came back received",
                        () -> lostAfter(casts, topic.sentAtResume, Long.MAX_VALUE).isEmpty());
                // The queue's backlog went with it; casts confirmed while it was gone had no queue to
                // go to (oslo's casts are not mandatory) and were dropped by the broker.
                List<Long> lost = lostAfter(casts, 0, Long.MAX_VALUE);
                assertThat(lost).as("lost casts were all sent between the delete's start and the resume").allSatisfy(i ->
                        assertThat(i).isGreaterThanOrEqualTo(Math.max(0, sentBefore - 50)).isLessThan(topic.sentAtResume));
                int lostInGap = lostAfter(casts, topic.sentAtCancel, topic.sentAtResume).size();
                assertThat(casts.unclearFailures()).isEmpty();
                assertThat(calls.unclearFailures()).isEmpty();
                assertThat(calls.wrongAnswers()).isZero();
                assertThat(calls.overran()).isZero();
                // A reply already routed into the reply queue when it was deleted goes with it: at most
                // the one call each caller had in flight then times out; every other call is answered.
                assertThat(calls.onlyTimeoutsOrLostConnections()).as(calls.summary()).isTrue();
                assertThat(calls.failed()).as("calls keep being answered: " + calls.summary()).isLessThanOrEqualTo(2);

                ConnectorMXBean serverBean = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                        serverJmx.name(), ConnectorMXBean.class);
                ConnectorMXBean clientBean = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                        clientJmx.name(), ConnectorMXBean.class);
                assertThat(serverBean.getConsumerCancellations()).isEqualTo(3);
                assertThat(serverBean.getConsumersResumed()).isEqualTo(3);
                assertThat(clientBean.getConsumerCancellations()).isEqualTo(1);
                assertThat(clientBean.getConsumersResumed()).isEqualTo(1);
                assertThat(server.stats().reconnectCount()).as("no connection was lost").isZero();
                assertThat(client.stats().reconnectCount()).isZero();

                System.out.printf("WARREN-RELIABILITY: consumer cancelled by the broker: consuming again %s after the "
                                + "cancel (bound %d s from the delete); casts lost with the topic queue %d (its backlog "
                                + "while rabbitmqctl ran), of them sent between cancel and resume %d; %s; %s%n",
                        figures, RESUME_BOUND.toSeconds(), lost.size(), lostInGap, casts.summary(), calls.summary());
            } finally {
                client.stop(Duration.ofSeconds(15));
                server.stop(Duration.ofSeconds(15));
            }
            assertThat(CoreFixtures.liveThreads(name)).isEmpty();
        }
    }

    /**
     * The node leading the server's quorum queues is stopped under {@code enable_cancel_on_failover}
     * while Warren, connected to another node, consumes them: RabbitMQ moves the leadership, RPC is
     * answered again and no confirmed cast is lost; a cancel the broker sends (x-cancel-on-ha-failover
     * is for mirrored classic queues; quorum queues keep their consumers across a new leader) is
     * resumed like any other.
     */
    @Test
    void stoppingTheQuorumLeadersNodeKeepsRpcAnsweringAndLosesNothingConfirmed() throws Exception {
        try (ThrowawayNodes nodes = ThrowawayNodes.create(shared, "stopping the node leading quorum queues")) {
            ThrowawayNodes.Cluster cluster = nodes.startCluster(3);
            String name = CoreFixtures.uniqueName("qleader");
            Target castTarget = Target.topic(name + "-casts");
            Target callTarget = Target.topic(name + "-calls");
            // Quorum queues start led by the node they were declared on: node 2, declaring them as
            // Warren will (durable, x-queue-type quorum), before Warren declares them again on node 1.
            ConnectionFactory onNode2 = cluster.connectionFactory(1);
            onNode2.setAutomaticRecoveryEnabled(false);
            try (com.rabbitmq.client.Connection c = onNode2.newConnection("it-leader-on-node-2");
                 com.rabbitmq.client.Channel ch = c.createChannel()) {
                for (Target t : List.of(castTarget, callTarget)) {
                    for (String q : List.of(t.topic(), t.topic() + ".s1")) {
                        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
                    }
                }
            }
            String leaderNode = cluster.nodeName(1);
            // Node 1 alone in the URL: Warren's connections stay up; only the queues' leader goes.
            String url = "rabbit://guest:guest@127.0.0.1:" + cluster.amqpPort(0) + "/";
            Connector server = quorumConnector(url, name + "-server", name);
            Connector client = quorumConnector(url, name + "-client", name);
            try {
                assertThat(server.stats().connectedAddress()).endsWith(":" + cluster.amqpPort(0));
                CastLoad casts = new CastLoad("leader", client.rpcClient(), castTarget, 50);
                server.rpcServer(castTarget.server("s1"), casts.sink());
                server.rpcServer(callTarget.server("s1"), new CallLoad.Echo());
                CallLoad calls = new CallLoad("leader", client.rpcClient(), callTarget, Duration.ofSeconds(5));
                Rabbitmqctl ctl1 = nodes.rabbitmqctl(cluster.nodeName(0));
                assertThat(leaderOf(ctl1, castTarget.topic())).isEqualTo(leaderNode);
                assertThat(leaderOf(ctl1, callTarget.topic())).isEqualTo(leaderNode);

                casts.start();
                calls.start(2);
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "casts confirmed and calls answered before the stop",
                        () -> casts.confirmed() > 200 && calls.answered() > 20);
                long t0 = System.nanoTime();
                nodes.stopNode(leaderNode);
                double stopTook = (System.nanoTime() - t0) / 1e9;
                long answered = calls.answered();
                int confirmed = casts.confirmed();
                CoreFixtures.waitUntil(Duration.ofSeconds(60), "calls answered and casts confirmed after the stop",
                        () -> calls.answered() > answered + 20 && casts.confirmed() > confirmed + 200);
                double answeringAfter = (System.nanoTime() - t0) / 1e9;
                casts.stop(Duration.ofSeconds(30));
                calls.stop(Duration.ofSeconds(10));
                CoreFixtures.waitUntil(Duration.ofSeconds(60), "every confirmed cast received",
                        () -> casts.confirmedButNotReceived().isEmpty());
                String newLeader = leaderOf(ctl1, callTarget.topic());
                assertThat(newLeader).isNotEqualTo(leaderNode);
                assertThat(casts.unclearFailures()).isEmpty();
                assertThat(calls.unclearFailures()).isEmpty();
                assertThat(calls.wrongAnswers()).isZero();
                assertThat(calls.overran()).isZero();
                assertThat(calls.onlyTimeoutsOrLostConnections()).as(calls.summary()).isTrue();
                assertThat(server.stats().consumersResumed()).as("every cancelled consumer consumes again")
                        .isEqualTo(server.stats().consumerCancellations());
                assertThat(server.stats().reconnectCount()).as("Warren's node stayed up").isZero();

                System.out.printf("WARREN-RELIABILITY: quorum leader's node stopped (enable_cancel_on_failover): "
                                + "stop took %.1f s, answering again by %.1f s; leader %s -> %s; server consumers "
                                + "cancelled %d, resumed %d; %s; %s%n", stopTook, answeringAfter, leaderNode, newLeader,
                        server.stats().consumerCancellations(), server.stats().consumersResumed(), casts.summary(),
                        calls.summary());
            } finally {
                client.stop(Duration.ofSeconds(15));
                server.stop(Duration.ofSeconds(15));
            }
            assertThat(CoreFixtures.liveThreads(name)).isEmpty();
        }
    }

    private static Connector quorumConnector(String url, String name, String exchange) {
        Connector connector = Connector.create(ConnectorConfig.builder().transportUrl(url).name(name)
                .option("rabbit_quorum_queue", "true")
                .option("enable_cancel_on_failover", "true")
                .option("control_exchange", exchange)
                .option("rabbit_retry_interval", "1")
                .option("rabbit_interval_max", "2")
                .option("warren_publish_timeout_ms", "5000")
                .option("warren_connection_timeout_ms", "3000")
                .build());
        connector.start();
        return connector;
    }

    /** The node leading quorum queue {@code queue}, as rabbitmqctl list_queues shows it. */
    private static String leaderOf(Rabbitmqctl ctl, String queue) {
        for (String line : ctl.run("list_queues", "--quiet", "--no-table-headers", "name", "leader").split("\n")) {
            String[] cols = line.strip().split("\\s+");
            if (cols.length == 2 && cols[0].equals(queue)) {
                return cols[1];
            }
        }
        throw new AssertionError("quorum queue " + queue + " not listed with a leader");
    }

    /** When a deleted queue's consumer was cancelled and resumed, as seen by polling the connector's stats. */
    static final class Resume {
        final long ctlMillis;
        final long resumeMillis;
        final long sentAtCancel;
        final long sentAtResume;

        Resume(long ctlMillis, long resumeMillis, long sentAtCancel, long sentAtResume) {
            this.ctlMillis = ctlMillis;
            this.resumeMillis = resumeMillis;
            this.sentAtCancel = sentAtCancel;
            this.sentAtResume = sentAtResume;
        }

        @Override
        public String toString() {
            return resumeMillis + " ms (rabbitmqctl " + ctlMillis + " ms)";
        }
    }

    /**
     * Deletes {@code queue} with rabbitmqctl while a poller watches the counters: the figure is from
     * the moment Warren counted the cancel to the moment it counted the resume; the bound asserted
     * is {@link #RESUME_BOUND} from rabbitmqctl's return (rabbitmqctl itself takes 0.5-5 s here).
     */
    static Resume deleteAndAwaitResume(Rabbitmqctl ctl, String vhost, String queue, Supplier<ConnectorStats> stats,
                                       long expected, LongSupplier sent) throws InterruptedException {
        AtomicLongArray at = new AtomicLongArray(4); // cancel seen, resume seen (nanos); casts sent at each
        Thread poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted() && at.get(1) == 0) {
                ConnectorStats s = stats.get();
                if (at.get(0) == 0 && s.consumerCancellations() >= expected) {
                    at.set(2, sent.getAsLong());
                    at.set(0, System.nanoTime());
                }
                if (at.get(0) != 0 && s.consumersResumed() >= expected) {
                    at.set(3, sent.getAsLong());
                    at.set(1, System.nanoTime());
                }
                LockSupport.parkNanos(200_000); // 0.2 ms: the figure's resolution
            }
        }, "it-cancel-poller");
        poller.start();
        long t0 = System.nanoTime();
        try {
            ctl.run("delete_queue", "-p", vhost, queue);
            long ctlMillis = (System.nanoTime() - t0) / 1_000_000;
            poller.join(RESUME_BOUND.toMillis());
            assertThat(at.get(1)).as("consuming " + queue + " again within " + RESUME_BOUND + " of the delete").isNotZero();
            assertThat(stats.get().consumersResumed()).isEqualTo(expected);
            return new Resume(ctlMillis, (at.get(1) - at.get(0)) / 1_000_000, at.get(2), at.get(3));
        } finally {
            poller.interrupt();
            poller.join();
        }
    }

    static String queueStartingWith(Rabbitmqctl ctl, String vhost, String prefix) {
        for (String line : ctl.run("list_queues", "-p", vhost, "--quiet", "--no-table-headers", "name").split("\n")) {
            if (line.strip().startsWith(prefix)) {
                return line.strip();
            }
        }
        throw new AssertionError("no queue starting with " + prefix + " in vhost " + vhost);
    }

    /** Sequence numbers in [{@code from}, {@code to}) of confirmed casts the sink never received. */
    private static List<Long> lostAfter(CastLoad casts, long from, long to) {
        List<Long> lost = new ArrayList<>();
        for (String id : casts.confirmedButNotReceived()) {
            long i = Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
            if (i >= from && i < to) {
                lost.add(i);
            }
        }
        return lost;
    }
}
