package io.warren.it.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.Arg;
import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.IncomingRequest;
import io.warren.MessageTooLargeException;
import io.warren.MessagingTimeout;
import io.warren.RemoteError;
import io.warren.RequestContext;
import io.warren.RpcClient;
import io.warren.RpcEndpoint;
import io.warren.RpcServer;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Warren calling Warren through the broker, the oslo way: call, cast, fanout, failures, timeouts, call monitor. */
class WarrenRpcIT {
    private final TestBroker broker = TestBroker.shared();
    private final List<String> casts = new CopyOnWriteArrayList<>();
    private Connector serverSide;
    private Connector clientSide;
    private String topic;
    private String exchange;

    @RpcEndpoint(namespace = "compute", version = "2.3")
    public class ComputeEndpoint {
        public Map<String, Object> echo(RequestContext ctx, String name, int n) {
            return Map.of("name", name, "n", n, "request_id", String.valueOf(ctx.requestId()));
        }

        public void remember(String what) {
            casts.add(what);
        }

        public String fail(String why) {
            throw new IllegalStateException(why);
        }

        public String big(int bytes) {
            return "x".repeat(bytes);
        }

        public String slow(@Arg("seconds") double seconds) throws InterruptedException {
            Thread.sleep((long) (seconds * 1000));
            return "done";
        }
    }

    /** Says which thread served it: quick methods on the consumer thread, the others on the workers. */
    public static class ThreadsEndpoint {
        @io.warren.RpcMethod(quick = true)
        public String quick() {
            return Thread.currentThread().getName();
        }

        @io.warren.RpcMethod(value = "quick_failure", quick = true)
        public String quickFailure() {
            throw new IllegalArgumentException("refused on the consumer thread");
        }

        @io.warren.RpcMethod
        public String pooled() {
            return Thread.currentThread().getName();
        }
    }

    /** Answers with the reply address its caller gave: the caller's own reply queue. */
    public static class ReplyAddressEndpoint {
        public String reply_address(IncomingRequest request) {
            return request.replyTo();
        }
    }

    @BeforeEach
    void start() {
        String name = CoreFixtures.uniqueName("rpc");
        topic = name + "-topic";
        exchange = name + "-exchange";
        serverSide = Connector.create(CoreFixtures.config(broker, name + "-server", "control_exchange", exchange));
        clientSide = Connector.create(CoreFixtures.config(broker, name + "-client", "control_exchange", exchange));
        serverSide.start();
        clientSide.start();
    }

    @AfterEach
    void stop() throws Exception {
        clientSide.stop(Duration.ofSeconds(10));
        serverSide.stop(Duration.ofSeconds(10));
        try (Connection c = broker.connectionFactory().newConnection()) {
            // One channel per delete: Broker-J closes the channel (or the connection) on a missing one.
            for (String q : List.of(topic, topic + ".host-a", topic + ".host-b")) {
                quietly(c, ch -> ch.queueDelete(q));
            }
            quietly(c, ch -> ch.exchangeDelete(exchange));
        } catch (java.io.IOException e) {
            // the broker dropped the cleanup connection: nothing more to delete through it
        }
    }

    private interface ChannelWork {
        void run(Channel ch) throws java.io.IOException;
    }

    private static void quietly(Connection c, ChannelWork work) {
        try (Channel ch = c.createChannel()) {
            work.run(ch);
        } catch (Exception e) {
            // already gone
        }
    }

    private Target target() {
        return Target.topic(topic).namespace("compute").version("2.1");
    }

    @Test
    void aCallReturnsTheResultAndCarriesTheContext() {
        serverSide.rpcServer(Target.topic(topic).server("host-a"), new ComputeEndpoint());
        RpcClient client = clientSide.rpcClient();

        Object result = client.call(target(), "echo", Map.of("name", "wire", "n", 42),
                CallOptions.defaults().context(Map.of("request_id", "req-1")));

        assertThat(result).isEqualTo(Map.of("name", "wire", "n", 42, "request_id", "req-1"));
        // The same through the server's own queue and as a typed result.
        Map<?, ?> typed = client.call(target().server("host-a"), "echo", Map.of("name", "x", "n", 1), CallOptions.defaults(), Map.class);
        assertThat(typed.get("n")).isEqualTo(1);
        assertThat(clientSide.stats().rpcCallsInFlight()).isZero();
    }

    @Test
    void directReplyToCallsWarrenServersWithoutAReplyQueue() {
        broker.requireRabbitMq("direct reply-to (amq.rabbitmq.reply-to)");
        serverSide.rpcServer(Target.topic(topic).server("host-a"), new ComputeEndpoint());
        Connector direct = Connector.create(CoreFixtures.config(broker, CoreFixtures.uniqueName("direct"),
                "control_exchange", exchange, "warren_rpc_reply_mode", "direct"));
        direct.start();
        try {
            for (int i = 0; i < 20; i++) {
                assertThat(direct.rpcClient().call(target(), "echo", Map.of("name", "d" + i, "n", i)))
                        .isEqualTo(Map.of("name", "d" + i, "n", i, "request_id", "null"));
            }
            assertThatThrownBy(() -> direct.rpcClient().call(target(), "fail", Map.of("why", "direct")))
                    .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.remoteMessage()).isEqualTo("direct"));
            // Stop waits for the server's outstanding confirms, so the counters below are final.
            // RabbitMQ returns mandatory messages to reply-to addresses even when it delivers
            // them: a mandatory reply was counted as returned and sent again for a minute.
            serverSide.stop(Duration.ofSeconds(10));
            assertThat(serverSide.stats().returned()).isZero();
            assertThat(serverSide.stats().published()).isEqualTo(21);
        } finally {
            direct.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void aMethodDeclaredQuickIsServedOnTheConsumerThreadAndTheOthersOnTheWorkers() {
        serverSide.rpcServer(Target.topic(topic).server("host-a"), new ThreadsEndpoint());
        RpcClient client = clientSide.rpcClient();
        for (int i = 0; i < 20; i++) {
            assertThat((String) client.call(Target.topic(topic), "quick", Map.of())).matches(".*-server-consumer-\\d+");
            assertThat((String) client.call(Target.topic(topic), "pooled", Map.of())).contains("-rpc-" + topic);
        }
        assertThatThrownBy(() -> client.call(Target.topic(topic), "quick_failure", Map.of()))
                .isInstanceOfSatisfying(RemoteError.class, e -> {
                    assertThat(e.exceptionClass()).isEqualTo("IllegalArgumentException");
                    assertThat(e.getMessage()).contains("refused on the consumer thread");
                });
        // Still served after the failure: the consumer thread survived it.
        assertThat((String) client.call(Target.topic(topic), "quick", Map.of())).matches(".*-server-consumer-\\d+");
    }

    @Test
    void callsWithoutRequestConfirmsAreAnsweredAndTheirRequestsNeverWaitForOne() {
        serverSide.rpcServer(Target.topic(topic).server("host-a"), new ThreadsEndpoint());
        Connector unconfirmed = Connector.create(CoreFixtures.config(broker, CoreFixtures.uniqueName("unconfirmed"),
                "control_exchange", exchange, "warren_rpc_call_confirms", "false"));
        unconfirmed.start();
        try {
            for (int i = 0; i < 20; i++) {
                assertThat((String) unconfirmed.rpcClient().call(Target.topic(topic), "pooled", Map.of())).contains("-rpc-" + topic);
            }
            assertThat(unconfirmed.stats().published()).isEqualTo(20);
            assertThat(unconfirmed.stats().confirmed()).as("no request waited for a confirm").isZero();
            // Casts keep theirs.
            unconfirmed.rpcClient().cast(Target.topic(topic), "pooled", Map.of());
            assertThat(unconfirmed.stats().confirmed()).isEqualTo(1);
        } finally {
            unconfirmed.stop(Duration.ofSeconds(10));
        }
        clientSide.rpcClient().call(Target.topic(topic), "pooled", Map.of());
        assertThat(clientSide.stats().confirmed()).as("the default confirms each request, as oslo").isEqualTo(1);
    }

    @Test
    void castsAndFanoutCastsReachTheirServers() {
        serverSide.rpcServer(Target.topic(topic).server("host-a"), new ComputeEndpoint());
        serverSide.rpcServer(Target.topic(topic).server("host-b"), new ComputeEndpoint());
        RpcClient client = clientSide.rpcClient();

        client.cast(target(), "remember", Map.of("what", "one"));
        client.cast(target().fanout(true), "remember", Map.of("what", "all"));

        CoreFixtures.waitUntil(Duration.ofSeconds(10), "cast and fanout handled",
                () -> casts.stream().filter("all"::equals).count() == 2 && casts.contains("one"));
        assertThat(casts).hasSize(3);
        assertThatThrownBy(() -> client.call(target().fanout(true), "echo", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fanout");
    }

    @Test
    void failuresComeBackTheOsloWay() {
        serverSide.rpcServer(Target.topic(topic).server("host-a"), new ComputeEndpoint());
        RpcClient client = clientSide.rpcClient();

        assertThatThrownBy(() -> client.call(target(), "fail", Map.of("why", "disk full")))
                .isInstanceOfSatisfying(RemoteError.class, e -> {
                    assertThat(e.exceptionClass()).isEqualTo("IllegalStateException");
                    assertThat(e.remoteMessage()).isEqualTo("disk full");
                    assertThat(e.traceback()).isNotEmpty();
                });
        assertThatThrownBy(() -> client.call(target(), "no_such", Map.of()))
                .isInstanceOfSatisfying(RemoteError.class, e -> {
                    assertThat(e.exceptionClass()).isEqualTo("NoSuchMethod");
                    assertThat(e.module()).isEqualTo("oslo_messaging.rpc.dispatcher");
                    assertThat(e.remoteMessage()).isEqualTo("Endpoint does not support RPC method no_such");
                });
        assertThatThrownBy(() -> client.call(target().version("3.0"), "echo", Map.of()))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.exceptionClass()).isEqualTo("UnsupportedVersion"));
        assertThatThrownBy(() -> client.call(target(), "echo", Map.of("name", "x", "n", "not a number")))
                .isInstanceOfSatisfying(RemoteError.class, e -> {
                    assertThat(e.exceptionClass()).isEqualTo("TypeError");
                    assertThat(e.remoteMessage()).contains("argument 'n'");
                });
        assertThatThrownBy(() -> client.call(target(), "echo", Map.of("name", "x")))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.remoteMessage())
                        .isEqualTo("echo() missing 1 required positional argument: 'n'"));
    }

    @Test
    void aCallNobodyAnswersTimesOutNamingWhatItWaitedFor() {
        RpcClient client = clientSide.rpcClient();
        assertThatThrownBy(() -> client.call(Target.topic(topic + "-nobody"), "echo", Map.of(),
                CallOptions.defaults().timeout(Duration.ofMillis(700))))
                .isInstanceOf(MessagingTimeout.class)
                .hasMessageContaining("echo").hasMessageContaining(topic + "-nobody").hasMessageContaining("700 ms");
        assertThat(clientSide.stats().rpcCallsInFlight()).isZero();
    }

    @Test
    void keepAlivesCarryASlowCallPastItsCallMonitorTimeout() {
        serverSide.rpcServer(Target.topic(topic).server("host-a"), new ComputeEndpoint());
        Object result = clientSide.rpcClient().call(target(), "slow", Map.of("seconds", 5.0),
                CallOptions.defaults().timeout(Duration.ofSeconds(30)).callMonitorTimeout(Duration.ofSeconds(2)));
        assertThat(result).isEqualTo("done");

        // Without a server the monitor ends the call long before the call timeout.
        assertThatThrownBy(() -> clientSide.rpcClient().call(Target.topic(topic + "-nobody"), "slow", Map.of("seconds", 1),
                CallOptions.defaults().timeout(Duration.ofSeconds(60)).callMonitorTimeout(Duration.ofSeconds(2))))
                .isInstanceOf(MessagingTimeout.class).hasMessageContaining("keep-alive");
    }

    @Test
    void malformedRequestsAreRefusedAndTheServerKeepsServing() throws Exception {
        serverSide.rpcServer(Target.topic(topic).server("host-a"), new ComputeEndpoint());
        try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
            AMQP.BasicProperties json = new AMQP.BasicProperties.Builder().contentType("application/json").build();
            for (String body : List.of("not json", "[1,2]", "{\"oslo.version\": \"2.1\", \"oslo.message\": \"{}\"}",
                    "{\"method\": 5, \"args\": {}}", "{\"method\": \"echo\", \"args\": []}")) {
                ch.basicPublish(exchange, topic, json, body.getBytes(StandardCharsets.UTF_8));
            }
            ch.basicPublish(exchange, topic, new AMQP.BasicProperties(), "{}".getBytes(StandardCharsets.UTF_8));
        }
        Object result = clientSide.rpcClient().call(target(), "echo", Map.of("name", "still", "n", 2));
        assertThat(result).isEqualTo(Map.of("name", "still", "n", 2, "request_id", "null"));
    }

    @Test
    void anOversizedMessageIsRefusedAtOnceOnTheSendingSide() {
        int cap = 64 * 1024;
        Connector small = Connector.create(CoreFixtures.config(broker, CoreFixtures.uniqueName("cap"),
                "control_exchange", exchange, "driver", "messagingv2", "topics", topic + "-notifications",
                "warren_max_message_bytes", Integer.toString(cap)));
        small.start();
        try {
            serverSide.rpcServer(Target.topic(topic).server("host-a"), new ComputeEndpoint());
            Map<String, Object> oversized = Map.of("name", "y".repeat(cap), "n", 1);
            Duration timeout = Duration.ofSeconds(30);
            assertThatThrownBy(() -> small.rpcClient().call(target(), "echo", oversized, CallOptions.defaults().timeout(timeout)))
                    .isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
                        assertThat(e.limit()).isEqualTo(cap);
                        assertThat(e.size()).isGreaterThan(cap);
                    })
                    .hasMessageContaining("call echo on " + target())
                    .hasMessageContaining("bytes encoded, over warren_max_message_bytes (" + cap + ")");
            // Before, the call waited out its whole timeout (MessagingTimeout) while the server logged
            // too_large; now it is refused before anything is sent, which the counters below show.
            assertThatThrownBy(() -> small.rpcClient().cast(target(), "remember", Map.of("what", "y".repeat(cap))))
                    .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("cast remember on");
            assertThatThrownBy(() -> small.notifier("compute.cap").info(Map.of(), "compute.big", Map.of("x", "y".repeat(cap))))
                    .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("notification compute.big (info)");
            assertThat(small.stats().published()).as("nothing went to the broker").isZero();
            assertThat(small.stats().rpcCallsInFlight()).as("no call left waiting").isZero();
            assertThat(casts).isEmpty();

            // A reply over the server's own cap comes back as the error that says so, not as a timeout.
            Connector capped = Connector.create(CoreFixtures.config(broker, CoreFixtures.uniqueName("capsrv"),
                    "control_exchange", exchange, "warren_max_message_bytes", Integer.toString(cap)));
            capped.start();
            try {
                capped.rpcServer(Target.topic(topic + "-capped").server("host-a"), new ComputeEndpoint());
                Target cappedTarget = Target.topic(topic + "-capped").namespace("compute").version("2.1");
                assertThatThrownBy(() -> clientSide.rpcClient().call(cappedTarget, "big", Map.of("bytes", 2 * cap),
                        CallOptions.defaults().timeout(timeout)))
                        .isInstanceOfSatisfying(RemoteError.class, e -> {
                            assertThat(e.exceptionClass()).isEqualTo("MessageTooLargeException");
                            assertThat(e.remoteMessage()).startsWith("the reply of big on " + topic + "-capped is ")
                                    .contains("over warren_max_message_bytes (" + cap + ")");
                        });
                // What fits still goes, both ways.
                assertThat(small.rpcClient().call(target(), "echo", Map.of("name", "fits", "n", 2)))
                        .isEqualTo(Map.of("name", "fits", "n", 2, "request_id", "null"));
                assertThat(clientSide.rpcClient().call(cappedTarget, "big", Map.of("bytes", 10))).isEqualTo("x".repeat(10));
            } finally {
                capped.stop(Duration.ofSeconds(10));
            }
        } finally {
            small.stop(Duration.ofSeconds(10));
            try (Connection c = broker.connectionFactory().newConnection()) {
                for (String q : List.of(topic + "-capped", topic + "-capped.host-a", topic + "-notifications.info")) {
                    quietly(c, ch -> ch.queueDelete(q));
                }
            } catch (Exception e) {
                // the broker dropped the cleanup connection
            }
        }
    }

    @Test
    void servedRequestsAreMeteredByTheEndpointsMethodsNotByAnyNameAPeerSends() {
        io.micrometer.core.instrument.MeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Connector metered = Connector.builder(CoreFixtures.config(broker, CoreFixtures.uniqueName("metered"),
                "control_exchange", exchange)).meterRegistry(registry).build();
        metered.start();
        try {
            metered.rpcServer(Target.topic(topic).server("host-a"), new ComputeEndpoint());
            RpcClient client = clientSide.rpcClient();
            client.call(target(), "echo", Map.of("name", "m", "n", 1));
            for (int i = 0; i < 3; i++) {
                String name = "no_such_" + i;
                assertThatThrownBy(() -> client.call(target(), name, Map.of())).isInstanceOf(RemoteError.class);
            }
            CoreFixtures.waitUntil(Duration.ofSeconds(10), "four requests metered", () -> registry
                    .find("warren.rpc.served").timers().stream().mapToLong(io.micrometer.core.instrument.Timer::count).sum() == 4);
            assertThat(registry.find("warren.rpc.served").timers()).extracting(t -> t.getId().getTag("method")
                    + " " + t.getId().getTag("outcome") + " " + t.count())
                    .containsExactlyInAnyOrder("echo ok 1", io.warren.metrics.MetricsRecorder.UNKNOWN + " remote_error 3");
        } finally {
            metered.stop(Duration.ofSeconds(10));
        }
        assertThat(registry.getMeters()).as("meters removed on stop").isEmpty();
    }

    /**
     * Issue #12: a client's {@code reply_<uuid>} queue and a server's random {@code <topic>_fanout_<uuid>}
     * queue are deleted when their connector stops (100 redeploys left 100 reply queues for
     * {@code x-expires} to clean); the shared topic and server queues stay.
     */
    @Test
    void onStopAConnectorDeletesTheQueuesItDeclaredForItself() throws Exception {
        Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "listing the fanout queue a server declared");
        serverSide.rpcServer(Target.topic(topic).server("host-a"), new ReplyAddressEndpoint());
        String replyQueue = (String) clientSide.rpcClient().call(Target.topic(topic), "reply_address", Map.of());
        assertThat(replyQueue).matches("reply_[0-9a-f]{32}");
        List<String> fanout = ctl.listQueues().stream().map(Rabbitmqctl.QueueInfo::name)
                .filter(n -> n.startsWith(topic + "_fanout_")).toList();
        assertThat(fanout).as("the server's fanout queue").singleElement().asString().matches(".*_fanout_[0-9a-f]{32}");
        assertThat(queueExists(replyQueue)).as(replyQueue + " while the client runs").isTrue();

        clientSide.stop(Duration.ofSeconds(10));
        serverSide.stop(Duration.ofSeconds(10));

        assertThat(queueExists(replyQueue)).as(replyQueue + " after the client stopped").isFalse();
        assertThat(queueExists(fanout.get(0))).as(fanout.get(0) + " after the server stopped").isFalse();
        assertThat(queueExists(topic)).as("the shared topic queue").isTrue();
        assertThat(queueExists(topic + ".host-a")).as("the shared server queue").isTrue();
    }

    /** With use_queue_manager the names are stable, so a restarted service takes its queues back: they stay on stop. */
    @Test
    void withTheQueueManagerTheStableNamedQueuesStayOnStop() throws Exception {
        String host = CoreFixtures.uniqueName("qm");
        String[] options = {"control_exchange", exchange, "use_queue_manager", "true", "hostname", host};
        Connector server = Connector.create(CoreFixtures.config(broker, "server", options));
        Connector client = Connector.create(CoreFixtures.config(broker, "client", options));
        String replyQueue = "reply_" + host + ":client:1";
        String fanoutQueue = topic + "_fanout_" + host + ":server:1";
        try {
            server.start();
            client.start();
            server.rpcServer(Target.topic(topic).server("host-a"), new ReplyAddressEndpoint());
            assertThat(client.rpcClient().call(Target.topic(topic), "reply_address", Map.of())).isEqualTo(replyQueue);
            client.stop(Duration.ofSeconds(10));
            server.stop(Duration.ofSeconds(10));

            assertThat(queueExists(replyQueue)).as(replyQueue + " after the client stopped").isTrue();
            assertThat(queueExists(fanoutQueue)).as(fanoutQueue + " after the server stopped").isTrue();
        } finally {
            client.stop(Duration.ofSeconds(10));
            server.stop(Duration.ofSeconds(10));
            try (Connection c = broker.connectionFactory().newConnection()) {
                quietly(c, ch -> ch.queueDelete(replyQueue));
                quietly(c, ch -> ch.queueDelete(fanoutQueue));
            }
        }
    }

    /** A passive declare on a connection of its own (a missing queue closes the channel, on Broker-J the connection). */
    private boolean queueExists(String queue) throws Exception {
        Connection c = broker.connectionFactory().newConnection();
        try {
            c.createChannel().queueDeclarePassive(queue);
            return true;
        } catch (java.io.IOException e) {
            if (e.getCause() instanceof com.rabbitmq.client.ShutdownSignalException s
                    && s.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == 404) {
                return false;
            }
            throw e;
        } finally {
            c.abort(); // quietly, also when the broker closed it over the missing queue
        }
    }
}
