package io.warren.it.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.NotificationEndpoint;
import io.warren.RemoteError;
import io.warren.RequestContext;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warren against the real thing: Debian's oslo.messaging 14 in a Python process, through the
 * broker, both ways, for RPC and for notifications.
 */
class OsloInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestBroker broker = TestBroker.shared();
    private String exchange;
    private String topic;
    private String notifyTopic;
    private Connector connector;
    private OsloPeer peer;

    /** oslo's defaults: no namespace, version 1.0, which is what a plain Python RPCClient targets. */
    public static class JavaEndpoint {
        public Map<String, Object> echo(RequestContext ctx, String text) {
            return Map.of("java_got", text, "request_id", String.valueOf(ctx.requestId()));
        }

        public String explode(String why) {
            throw new IllegalStateException(why);
        }
    }

    @BeforeEach
    void start() throws Exception {
        broker.requireRabbitMq("the oslo peer (kombu sends call expirations Broker-J drops)");
        broker.requireOsloPeer("interoperability with Python oslo.messaging");
        String name = CoreFixtures.uniqueName("oslo");
        exchange = name + "-x";
        topic = name + "-t";
        notifyTopic = name + "-n";
        connector = Connector.create(CoreFixtures.config(broker, name, "control_exchange", exchange,
                "driver", "messagingv2", "topics", notifyTopic));
        connector.start();
        peer = OsloPeer.start("serve", broker.transportUrl(), exchange, topic, "pyhost", notifyTopic);
        peer.await("READY", 60);
    }

    @AfterEach
    void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (connector != null) {
            connector.stop(Duration.ofSeconds(10));
        }
        if (broker.isRabbitMq() && topic != null) { // null: the test was skipped before it declared anything
            try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
                for (String q : List.of(topic, topic + ".pyhost", topic + "-java", topic + "-java.javahost",
                        notifyTopic + ".info")) {
                    ch.queueDelete(q);
                }
                ch.exchangeDelete(exchange);
            }
        }
    }

    private Target python() {
        return Target.topic(topic).namespace("warren_ns").version("2.1");
    }

    @Test
    void warrenCallsAPythonServer() {
        Object result = connector.rpcClient().call(python(), "echo", Map.of("name", "wire", "n", 42, "text", "café"),
                CallOptions.defaults().context(Map.of("request_id", "req-java-1", "user_id", "u-9")));

        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) result;
        assertThat(map.get("you_sent")).isEqualTo(Map.of("name", "wire", "n", 42, "text", "café"));
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) map.get("context");
        assertThat(seen).containsEntry("request_id", "req-java-1").containsEntry("user_id", "u-9").containsKey("client_timeout");
        assertThat(connector.rpcClient().call(Target.topic(topic), "ping", Map.of())).isEqualTo("pong");
    }

    @Test
    void pythonFailuresArriveAsRemoteErrors() {
        assertThatThrownBy(() -> connector.rpcClient().call(python(), "fail_builtin", Map.of("reason", "bad size")))
                .isInstanceOfSatisfying(RemoteError.class, e -> {
                    assertThat(e.exceptionClass()).isEqualTo("ValueError");
                    assertThat(e.module()).isEqualTo("builtins");
                    assertThat(e.remoteMessage()).isEqualTo("bad size");
                    assertThat(e.traceback()).anyMatch(l -> l.contains("Traceback"));
                });
        assertThatThrownBy(() -> connector.rpcClient().call(python(), "fail_custom", Map.of("thing", "disk")))
                .isInstanceOfSatisfying(RemoteError.class, e -> {
                    assertThat(e.exceptionClass()).isEqualTo("PeerError");
                    assertThat(e.kwargs()).containsEntry("thing", "disk");
                });
        assertThatThrownBy(() -> connector.rpcClient().call(python(), "no_such_method", Map.of()))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.exceptionClass()).isEqualTo("NoSuchMethod"));
        assertThatThrownBy(() -> connector.rpcClient().call(python().version("3.0"), "echo", Map.of()))
                .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.exceptionClass()).isEqualTo("UnsupportedVersion"));
    }

    @Test
    void aSlowPythonCallStaysAliveThroughKeepAlives() {
        Object result = connector.rpcClient().call(python(), "slow", Map.of("seconds", 3),
                CallOptions.defaults().timeout(Duration.ofSeconds(30)).callMonitorTimeout(Duration.ofSeconds(2)));
        assertThat(result).isEqualTo("done after 3 s");
    }

    @Test
    void pythonCallsAWarrenServer() throws Exception {
        connector.rpcServer(Target.topic(topic + "-java").server("javahost"), new JavaEndpoint());

        JsonNode ok = pythonCall("echo", "{\"text\": \"from python\"}", "{\"request_id\": \"req-py-7\"}");
        assertThat(ok.path("result").path("java_got").asText()).isEqualTo("from python");
        assertThat(ok.path("result").path("request_id").asText()).isEqualTo("req-py-7");

        JsonNode failed = pythonCall("explode", "{\"why\": \"kaboom\"}", "{}");
        assertThat(failed.path("error_class").asText()).isEqualTo("RemoteError");
        assertThat(failed.path("exc_type").asText()).isEqualTo("IllegalStateException");
        assertThat(failed.path("message").asText()).isEqualTo("kaboom");

        JsonNode missing = pythonCall("nope", "{}", "{}");
        assertThat(missing.path("exc_type").asText()).isEqualTo("NoSuchMethod");
        // A builtins failure is re-raised by oslo as the builtin itself, as from a Python server.
        JsonNode badArgs = pythonCall("echo", "{\"wrong\": 1}", "{}");
        assertThat(badArgs.path("error_class").asText()).isEqualTo("TypeError");
        assertThat(badArgs.path("error_module").asText()).isEqualTo("builtins");
        assertThat(badArgs.path("message").asText()).contains("unexpected keyword argument 'wrong'");
    }

    private JsonNode pythonCall(String method, String args, String context) throws Exception {
        try (OsloPeer client = OsloPeer.start("call", broker.transportUrl(), exchange, topic + "-java", method, args, context)) {
            return JSON.readTree(client.await("{", 60));
        }
    }

    @Test
    void warrenNotificationsReachAPythonListener() throws Exception {
        connector.notifier("warren.host1").info(Map.of("request_id", "req-n-1", "auth_token", "secret-token"),
                "compute.instance.create.end", Map.of("id", "vm-1", "size", 3));

        JsonNode n = JSON.readTree(peer.await("NOTIFICATION ", 30).substring("NOTIFICATION ".length()));
        assertThat(n.path("publisher_id").asText()).isEqualTo("warren.host1");
        assertThat(n.path("event_type").asText()).isEqualTo("compute.instance.create.end");
        assertThat(n.path("payload").path("id").asText()).isEqualTo("vm-1");
        assertThat(n.path("ctxt").path("request_id").asText()).isEqualTo("req-n-1");
        assertThat(n.path("ctxt").has("auth_token")).as("tokens never leave in notifications").isFalse();
        assertThat(n.path("metadata").path("message_id").asText()).matches("[0-9a-f-]{36}");
    }

    @Test
    void pythonNotificationsReachAWarrenListener() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        connector.notificationListener("warren-pool-" + topic, false, new NotificationEndpoint() {
            @Override
            public Result info(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
                seen.add(publisherId + "|" + eventType + "|" + payload + "|" + ctx.requestId() + "|" + (md.get("timestamp") != null));
                return Result.HANDLED;
            }
        });
        try (OsloPeer notifier = OsloPeer.start("notify", broker.transportUrl(), exchange, notifyTopic,
                "volume.attach.end", "{\"volume\": \"v-2\"}")) {
            notifier.await("SENT", 60);
        }
        assertThat(seen.poll(30, TimeUnit.SECONDS)).isEqualTo("peer.host1|volume.attach.end|{volume=v-2}|req-peer-1|true");
        try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
            ch.queueDelete("warren-pool-" + topic);
        }
    }
}
