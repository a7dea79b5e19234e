package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.ConnectorState;
import io.warren.EngineAccess;
import io.warren.NotificationEndpoint;
import io.warren.NotificationListener;
import io.warren.RequestContext;
import io.warren.RpcEndpoint;
import io.warren.RpcServer;
import io.warren.Target;
import io.warren.it.support.CapturedOutput;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A seeded stream of random and mutated oslo messages ({@link OsloFuzzer}) at a Warren RPC server
 * and a notification listener: nothing crashes, no consumer gets stuck (both queues drain and a
 * valid call and a valid notification still go through), memory stays bounded, and each kind of
 * refused message is logged once (per component, per minute), not once per message.
 *
 * <p>Messages: {@code -Dwarren.it.fuzz.messages} (default 100,000 on RabbitMQ, 20,000 on the
 * embedded broker, which shares this JVM); seed: {@code -Dwarren.it.fuzz.seed} (default 20261124, or
 * {@code random} for a new one each run). The seed is printed first, and a failure names it with the
 * command that replays it.
 */
class FuzzIT {
    private static final long DEFAULT_SEED = 20261124L;
    private static final int SIZE_CAP = 32 * 1024;
    private static final int BACKLOG_LIMIT = 20_000;

    private final TestBroker broker = TestBroker.shared();

    /** The methods the RPC fixtures call, answering at once. */
    @RpcEndpoint(namespace = "specprobe_ns", version = "2.1")
    public static final class Specprobe {
        private final AtomicLong calls = new AtomicLong();

        public Object echo(String name, int n, double ratio, List<Object> flags, Map<String, Object> nested, String text) {
            calls.incrementAndGet();
            return Map.of("name", String.valueOf(name), "n", n);
        }

        public void record_cast(String note) {
            calls.incrementAndGet();
        }

        public String slow(double seconds) {
            calls.incrementAndGet();
            return "done";
        }
    }

    /** Counts notifications of three priorities. */
    public static final class Counting implements NotificationEndpoint {
        private final AtomicLong seen = new AtomicLong();
        private volatile String lastEventType = "";

        @Override
        public Result info(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
            return count(eventType);
        }

        @Override
        public Result warn(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
            return count(eventType);
        }

        @Override
        public Result error(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
            return count(eventType);
        }

        private Result count(String eventType) {
            seen.incrementAndGet();
            lastEventType = String.valueOf(eventType);
            return Result.HANDLED;
        }
    }

    @Test
    void randomAndMutatedOsloMessagesCrashNothingStickNothingAndAreLoggedOncePerKind() throws Exception {
        int messages = Integer.getInteger("warren.it.fuzz.messages", broker.isRabbitMq() ? 100_000 : 20_000);
        long seed = seed();
        System.out.printf("WARREN-RELIABILITY: fuzz seed %d, %d messages%n", seed, messages);
        try {
            fuzz(seed, messages);
        } catch (Exception | AssertionError e) {
            // The stream of messages is the seed's alone: this line replays the failing run.
            throw new AssertionError("fuzz with seed " + seed + " failed (replay: mvn -B verify -pl src-it -am"
                    + " -Dit.test=FuzzIT -Dwarren.it.fuzz.seed=" + seed + " -Dwarren.it.fuzz.messages=" + messages
                    + "): " + e, e);
        }
    }

    /** {@code -Dwarren.it.fuzz.seed}: a number, or {@code random} for a new one each run (printed). */
    private static long seed() {
        String value = System.getProperty("warren.it.fuzz.seed", Long.toString(DEFAULT_SEED));
        if (value.equals("random")) {
            return new java.security.SecureRandom().nextLong();
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("warren.it.fuzz.seed must be a number or 'random', got '" + value + "'");
        }
    }

    private void fuzz(long seed, int messages) throws Exception {
        String name = CoreFixtures.uniqueName("fuzz");
        String exchange = name + "-exchange";
        String topic = name + "-topic";
        String notifyTopic = name + "-notifications";
        String pool = name + "-pool";
        RejectionCounter counter = new RejectionCounter();
        Specprobe rpcEndpoint = new Specprobe();
        Counting notificationEndpoint = new Counting();
        OsloFuzzer fuzzer = new OsloFuzzer(seed, SIZE_CAP);

        Connector connector = EngineAccess.metrics(Connector.builder(CoreFixtures.config(broker, name,
                        "control_exchange", exchange,
                        "warren_max_message_bytes", Integer.toString(SIZE_CAP),
                        // Replies to the fixtures' long-gone reply queues are dropped, not retried for a minute.
                        "direct_mandatory_flag", "false",
                        "driver", "messagingv2", "topics", notifyTopic)), counter).build();
        String captured;
        long heapBefore;
        long heapAfter;
        long published = 0;
        double took;
        try (CapturedOutput output = CapturedOutput.start()) {
            try {
                connector.start();
                Target target = Target.topic(topic).namespace("specprobe_ns").version("2.1");
                RpcServer server = connector.rpcServer(target.server("s1"), rpcEndpoint);
                NotificationListener listener = connector.notificationListener(exchange, List.of(notifyTopic), pool,
                        false, notificationEndpoint);
                assertWorks(connector, target, notificationEndpoint, "before");
                heapBefore = usedHeapAfterGc();

                long t0 = System.nanoTime();
                try (Connection raw = broker.connectionFactory().newConnection("warren-it-fuzzer")) {
                    Channel ch = raw.createChannel();
                    ch.confirmSelect();
                    for (; published < messages; published++) {
                        OsloFuzzer.Fuzzed m = fuzzer.next();
                        String routingKey = m.notification ? notifyTopic + "." + m.priority : topic;
                        ch.basicPublish(exchange, routingKey, m.properties, m.body);
                        if (published % 2_000 == 1_999) {
                            ch.waitForConfirmsOrDie(60_000);
                            awaitBacklogBelow(ch, List.of(topic, pool), BACKLOG_LIMIT);
                        }
                    }
                    ch.waitForConfirmsOrDie(60_000);
                    // No stuck consumer: both queues drain.
                    awaitBacklogBelow(ch, List.of(topic, topic + ".s1", pool), 1);
                }
                took = (System.nanoTime() - t0) / 1e9;

                assertThat(connector.state()).isEqualTo(ConnectorState.RUNNING);
                assertThat(server.isRunning()).isTrue();
                assertThat(listener.isRunning()).isTrue();
                assertWorks(connector, target, notificationEndpoint, "after");
                heapAfter = usedHeapAfterGc();
            } finally {
                connector.stop(Duration.ofSeconds(15));
                ReliabilityFixtures.deleteQuietly(broker, List.of(topic, topic + ".s1", pool), List.of(exchange));
            }
            captured = output.text();
        }

        Map<String, Long> rejected = counter.rejectedByKind();
        assertThat(counter.rejectedTotal()).as("refused messages").isPositive();
        // Each kind: logged at least once, and at most once per component (server, listener) per minute.
        long allowedPerKind = 2 * (1 + (long) (took / 60));
        Map<String, Long> logLines = new TreeMap<>();
        for (String kind : rejected.keySet()) {
            long lines = captured.lines().filter(l -> l.contains("refused a message (" + kind + ")")).count();
            logLines.put(kind, lines);
            assertThat(lines).as("log lines for refused kind " + kind).isBetween(1L, allowedPerKind);
        }
        assertThat(captured).doesNotContain("StackOverflowError").doesNotContain("OutOfMemoryError");
        long heapGrowthMb = (heapAfter - heapBefore) / (1024 * 1024);
        assertThat(heapGrowthMb).as("heap growth in MiB after the fuzz, after GC").isLessThan(64);
        long warnLines = captured.lines().filter(l -> l.contains(" WARN ")).count();
        System.out.printf("WARREN-RELIABILITY: fuzz seed %d: %d messages in %.1f s (%.0f/s) %s; refused %s; logged %s; "
                        + "RPC served %s; endpoint calls %d; notifications handled %d; WARN lines %d; heap %+d MiB%n",
                seed, published, took, published / took, fuzzer.strategies(), rejected, logLines,
                counter.servedByOutcome(), rpcEndpoint.calls.get(), notificationEndpoint.seen.get(), warnLines,
                heapGrowthMb);
    }

    @Test
    void textFromTheWireCannotForgeLogLines() throws Exception {
        String name = CoreFixtures.uniqueName("forge");
        String exchange = name + "-exchange";
        String topic = name + "-topic";
        String forged = "12:00:00.000 [main] INFO io.warren.Forged - " + name + " forged line";
        Connector connector = Connector.create(CoreFixtures.config(broker, name, "control_exchange", exchange));
        String captured;
        try (CapturedOutput output = CapturedOutput.start()) {
            try {
                connector.start();
                connector.rpcServer(Target.topic(topic).server("s1"), new Specprobe());
                try (Connection raw = broker.connectionFactory().newConnection("warren-it-forger")) {
                    Channel ch = raw.createChannel();
                    com.rabbitmq.client.AMQP.BasicProperties json = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                            .contentType("application/json").build();
                    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                    String method = mapper.writeValueAsString("x\n" + forged);
                    // A cast of an unknown method, and an envelope whose message is a string, not an object.
                    ch.basicPublish(exchange, topic, json, ("{\"method\": " + method + ", \"args\": {}}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    ch.basicPublish(exchange, topic, json, ("{\"oslo.version\": \"2.0\", \"oslo.message\": "
                            + mapper.writeValueAsString(method) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                CoreFixtures.waitUntil(Duration.ofSeconds(15), "both messages logged",
                        () -> output.linesContaining(" - cast x") >= 1 && output.linesContaining("refused a message") >= 1);
            } finally {
                connector.stop(Duration.ofSeconds(10));
                ReliabilityFixtures.deleteQuietly(broker, List.of(topic, topic + ".s1"), List.of(exchange));
            }
            captured = output.text();
        }
        assertThat(captured.lines()).noneMatch(line -> line.startsWith(forged));
    }

    /** A valid call answers and a valid notification arrives. */
    private static void assertWorks(Connector connector, Target target, Counting notifications, String when) {
        Object answer = connector.rpcClient().call(target, "echo", Map.of("name", when, "n", 1, "ratio", 0.5,
                "flags", List.of(), "nested", Map.of(), "text", "t"), CallOptions.defaults().timeout(Duration.ofSeconds(30)));
        assertThat(answer).isEqualTo(Map.of("name", when, "n", 1));
        long before = notifications.seen.get();
        connector.notifier("fuzz.check").info(Map.of(), "fuzz.check." + when, Map.of("when", when));
        CoreFixtures.waitUntil(Duration.ofSeconds(30), "a valid notification handled " + when + " the fuzz",
                () -> notifications.seen.get() > before && notifications.lastEventType.equals("fuzz.check." + when));
    }

    private static void awaitBacklogBelow(Channel ch, List<String> queues, int limit) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            long backlog = 0;
            for (String q : queues) {
                backlog += ch.queueDeclarePassive(q).getMessageCount();
            }
            if (backlog < limit) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("consumers stuck: " + backlog + " messages still queued in " + queues
                        + " after 120 s");
            }
            Thread.sleep(100);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
