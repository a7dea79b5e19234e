package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.NotificationEndpoint;
import io.warren.RequestContext;
import io.warren.Target;
import io.warren.it.support.CapturedOutput;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Handlers slower than the broker's patience, on one throw-away node whose {@code consumer_timeout}
 * is 3 s (checked every second: {@code channel_tick_interval}, set with {@code rabbitmqctl eval}
 * before Warren connects). A delivery left unacknowledged longer than that makes RabbitMQ close
 * the whole channel (406 PRECONDITION_FAILED), which amqp-client never recovers: before, the
 * service stopped consuming for good while health said UP. Now Warren logs why, opens another
 * channel and consumes again; the broker requeued what was unacknowledged. And a poison
 * notification on a quorum queue with a delivery limit goes to its dead-letter exchange after
 * limit + 1 deliveries instead of coming back for ever.
 */
class ConsumerTimeoutIT {
    static final int CONSUMER_TIMEOUT_MS = 3000;
    static final long SLOW_MS = 5000;

    private final TestBroker broker = TestBroker.shared();

    @Test
    void slowHandlersOutlivingConsumerTimeoutLoseNothingAndTheServicesConsumeAgain() throws Exception {
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "a low consumer_timeout")) {
            ThrowawayNodes.Cluster node = nodes.startCluster(1);
            Rabbitmqctl ctl = nodes.rabbitmqctl(node.nodeName(0));
            ctl.run("eval", "application:set_env(rabbit, consumer_timeout, " + CONSUMER_TIMEOUT_MS + "), "
                    + "application:set_env(rabbit, channel_tick_interval, 1000).");
            String url = "rabbit://guest:guest@127.0.0.1:" + node.amqpPort(0) + "/";
            String name = CoreFixtures.uniqueName("slow");
            List<String> figures = new ArrayList<>();
            String captured;
            try (CapturedOutput output = CapturedOutput.start()) {
                Connector server = connector(url, name + "-server", name, "executor_thread_pool_size", "1");
                Connector client = connector(url, name + "-client", name, "topics", name + "-events");
                try {
                    rpcBehindASlowEndpoint(server, client, name, figures);
                    notificationSlowerThanTheTimeout(server, client, name, figures);
                    poisonNotificationGoesToTheDeadLetterExchange(ctl, node, url, name, figures);
                } finally {
                    client.stop(Duration.ofSeconds(15));
                    server.stop(Duration.ofSeconds(15));
                }
                captured = output.text();
            }
            assertThat(captured).as("the reason is logged, naming the option")
                    .contains("consumer_timeout").contains("opening another and consuming again");
            assertThat(CoreFixtures.liveThreads(name)).isEmpty();
            System.out.printf("WARREN-RELIABILITY: consumer_timeout %d ms, handlers %d ms: %s%n", CONSUMER_TIMEOUT_MS,
                    SLOW_MS, String.join("; ", figures));
        }
    }

    /** Counts how often each request ran; {@code slow} outlasts the consumer timeout. */
    public static final class Endpoint {
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

        public String slow(String id) throws InterruptedException {
            runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(SLOW_MS);
            return id;
        }

        public String echo(String id) {
            runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            return id;
        }
    }

    /**
     * One worker: a slow call holds it while three echo calls wait behind it, delivered but not
     * acknowledged (Warren acks when a worker takes a request), past the consumer timeout.
     */
    private static void rpcBehindASlowEndpoint(Connector server, Connector client, String name, List<String> figures)
            throws Exception {
        Endpoint endpoint = new Endpoint();
        Target target = Target.topic(name + "-rpc");
        server.rpcServer(target.server("s1"), endpoint);
        CallOptions options = CallOptions.defaults().timeout(Duration.ofSeconds(30));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            long t0 = System.nanoTime();
            List<Future<Object>> answers = new ArrayList<>();
            answers.add(callers.submit(() -> client.rpcClient().call(target, "slow", Map.of("id", "slow-1"), options)));
            Thread.sleep(300); // the slow call first, so the echo calls queue behind it
            for (int i = 0; i < 3; i++) {
                String id = "echo-" + i;
                answers.add(callers.submit(() -> client.rpcClient().call(target, "echo", Map.of("id", id), options)));
            }
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : answers) {
                results.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            double took = (System.nanoTime() - t0) / 1e9;
            assertThat(results).containsExactly("slow-1", "echo-0", "echo-1", "echo-2");
            assertThat(server.stats().consumerChannelsReopened()).as("the broker closed the RPC channel once")
                    .isGreaterThanOrEqualTo(1);
            // At most once, as oslo: the requests taken on the closed channel never ran there.
            assertThat(endpoint.runs).allSatisfy((id, n) -> assertThat(n.get()).as(id).isEqualTo(1));
            assertThat(client.rpcClient().call(target, "echo", Map.of("id", "after"), options)).isEqualTo("after");
            figures.add(String.format("RPC: 4 calls behind one %d ms call on 1 worker all answered in %.1f s, each run"
                    + " once, consumer channels reopened %d", SLOW_MS, took, server.stats().consumerChannelsReopened()));
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * A notification endpoint slower than the timeout on its first delivery: the broker closes the
     * channel; the slow notification and those unacknowledged with it come again and are handled.
     */
    private static void notificationSlowerThanTheTimeout(Connector server, Connector client, String name,
                                                         List<String> figures) throws Exception {
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        long reopenedBefore = server.stats().consumerChannelsReopened();
        server.notificationListener(null, List.of(name + "-events"), null, true, new NotificationEndpoint() {
            @Override
            public Result info(RequestContext ctx, String publisher, String event, Object payload, Map<String, Object> md) {
                int n = deliveries.computeIfAbsent(event, k -> new AtomicInteger()).incrementAndGet();
                if (event.equals("slow") && n == 1) {
                    try {
                        Thread.sleep(SLOW_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Result.HANDLED;
            }
        });
        var notifier = client.notifier("it.slow");
        long t0 = System.nanoTime();
        notifier.info(Map.of(), "slow", Map.of());
        for (int i = 0; i < 40; i++) {
            notifier.info(Map.of(), "fast-" + i, Map.of());
            Thread.sleep(100);
        }
        CoreFixtures.waitUntil(Duration.ofSeconds(30), "every notification handled, the slow one twice",
                () -> deliveries.size() == 41 && deliveries.get("slow").get() >= 2);
        double took = (System.nanoTime() - t0) / 1e9;
        long reopened = server.stats().consumerChannelsReopened() - reopenedBefore;
        assertThat(reopened).as("the broker closed the listener's channel").isGreaterThanOrEqualTo(1);
        notifier.info(Map.of(), "after", Map.of());
        CoreFixtures.waitUntil(Duration.ofSeconds(10), "a notification after the reopen handled",
                () -> deliveries.containsKey("after"));
        int duplicates = 0;
        for (AtomicInteger n : deliveries.values()) {
            duplicates += n.get() - 1;
        }
        figures.add(String.format("notifications: 41 sent, all handled in %.1f s, the slow one %d times, redelivered"
                + " duplicates %d (at least once), channels reopened %d", took, deliveries.get("slow").get(), duplicates,
                reopened));
    }

    /**
     * A quorum notification queue with {@code rabbit_quorum_delivery_limit=2} and a dead-letter
     * exchange (a policy, as an operator sets it): a notification its endpoint always requeues is
     * delivered 3 times, then dead-lettered; the listener goes on.
     */
    private static void poisonNotificationGoesToTheDeadLetterExchange(Rabbitmqctl ctl, ThrowawayNodes.Cluster node,
                                                                      String url, String name, List<String> figures)
            throws Exception {
        String topic = name + "-poison";
        String dlx = name + "-dlx";
        ConnectionFactory factory = node.connectionFactory(0);
        factory.setAutomaticRecoveryEnabled(false);
        try (com.rabbitmq.client.Connection c = factory.newConnection("it-dlx"); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(dlx, "fanout", false, true, null);
            ch.queueDeclare(dlx, false, false, true, null);
            ch.queueBind(dlx, dlx, "");
            ctl.run("set_policy", "--apply-to", "queues", name + "-dlx-policy", "^" + topic + "\\.",
                    "{\"dead-letter-exchange\":\"" + dlx + "\"}");
            Connector quorum = connector(url, name + "-quorum", name + "-q", "rabbit_quorum_queue", "true",
                    "rabbit_quorum_delivery_limit", "2", "topics", topic);
            try {
                Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
                quorum.notificationListener(null, List.of(topic), null, true, new NotificationEndpoint() {
                    @Override
                    public Result info(RequestContext ctx, String publisher, String event, Object payload,
                                       Map<String, Object> md) {
                        deliveries.computeIfAbsent(event, k -> new AtomicInteger()).incrementAndGet();
                        return event.equals("poison") ? Result.REQUEUE : Result.HANDLED;
                    }
                });
                var notifier = quorum.notifier("it.poison");
                notifier.info(Map.of(), "poison", Map.of());
                GetResponse[] dead = new GetResponse[1];
                CoreFixtures.waitUntil(Duration.ofSeconds(20), "the poison notification dead-lettered", () -> {
                    try {
                        dead[0] = dead[0] != null ? dead[0] : ch.basicGet(dlx, true);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                    return dead[0] != null;
                });
                assertThat(new String(dead[0].getBody(), StandardCharsets.UTF_8)).contains("poison");
                Thread.sleep(1000); // no fourth delivery after it went
                assertThat(deliveries.get("poison").get()).as("delivery limit 2: delivered 3 times").isEqualTo(3);
                notifier.info(Map.of(), "healthy", Map.of());
                CoreFixtures.waitUntil(Duration.ofSeconds(10), "the listener goes on",
                        () -> deliveries.containsKey("healthy"));
                figures.add("poison notification (quorum, delivery limit 2): delivered " + deliveries.get("poison").get()
                        + " times, then in the dead-letter queue; the next notification handled");
            } finally {
                quorum.stop(Duration.ofSeconds(15));
                ctl.run("clear_policy", name + "-dlx-policy");
            }
        }
    }

    private static Connector connector(String url, String name, String exchange, String... options) {
        ConnectorConfig.Builder b = ConnectorConfig.builder().transportUrl(url).name(name)
                .option("control_exchange", exchange)
                .option("driver", "messagingv2")
                .option("rabbit_retry_interval", "1")
                .option("warren_connection_timeout_ms", "3000");
        for (int i = 0; i < options.length; i += 2) {
            b.option(options[i], options[i + 1]);
        }
        Connector connector = Connector.create(b.build());
        connector.start();
        return connector;
    }
}
