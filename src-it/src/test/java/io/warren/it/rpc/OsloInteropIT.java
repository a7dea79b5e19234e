package io.warren.it.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.EndpointError;
import io.warren.IncomingRequest;
import io.warren.NotificationEndpoint;
import io.warren.Notifier;
import io.warren.RemoteError;
import io.warren.RequestContext;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.OsloPython;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Warren against the real thing: a Python process running oslo.messaging, through the broker,
 * both ways, for RPC and for notifications. The same tests run against Debian's oslo.messaging
 * 14.0.3 and against 18.1.0, with the default options, and against 18.1.0 with the four options
 * today's deployments turn on (quorum queues, transient quorum queues, stream fanout, the queue
 * manager) on both sides, Java and Python configured alike.
 */
class OsloInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** oslo's defaults: no namespace, version 1.0, which is what a plain Python RPCClient targets. */
    public static class JavaEndpoint {
        final BlockingQueue<String> casts = new LinkedBlockingQueue<>();

        public Map<String, Object> echo(RequestContext ctx, String text) {
            return Map.of("java_got", text, "request_id", String.valueOf(ctx.requestId()));
        }

        public String ping() {
            return "pong";
        }

        public String explode(String why) {
            throw new IllegalStateException(why);
        }

        public void record(String tag) {
            casts.add(tag);
        }
    }

    /**
     * Failures with a Python identity: one raised with {@link EndpointError}, one received from a
     * Python server and thrown on (a proxy), and a plain Java exception for the traceback.
     */
    public static class NovaFacade {
        private final Connector connector;
        private final Target python;

        NovaFacade(Connector connector, Target python) {
            this.connector = connector;
            this.python = python;
        }

        public String find(String instance) {
            throw EndpointError.of("nova.exception", "InstanceNotFound", "Instance " + instance + " could not be found.")
                    .withKwargs(Map.of("instance_id", instance));
        }

        public Object proxy(String instance) {
            return connector.rpcClient().call(python, "fail_nova", Map.of("instance", instance));
        }

        public String explode(String why) {
            throw new IllegalStateException(why);
        }
    }

    /** Reports how each request arrived, as the endpoint's IncomingRequest tells it. */
    public static class Inspector {
        final BlockingQueue<Map<String, Object>> casts = new LinkedBlockingQueue<>();

        public Map<String, Object> inspect(IncomingRequest request) {
            return seen(request);
        }

        public void record_view(IncomingRequest request, String tag) {
            Map<String, Object> m = seen(request);
            m.put("tag", tag);
            casts.add(m);
        }

        private static Map<String, Object> seen(IncomingRequest r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", r.isCall() ? "call" : "cast");
            m.put("msg_id", r.msgId());
            m.put("reply_to", r.replyTo());
            m.put("exchange", r.exchange());
            m.put("routing_key", r.routingKey());
            m.put("envelope", r.envelopeVersion());
            m.put("content_type", r.contentType());
            m.put("call_monitor", r.hasCallMonitor());
            m.put("call_monitor_ms", r.hasCallMonitor() ? r.callMonitorTimeout().toMillis() : null);
            return m;
        }
    }

    @Nested
    class Oslo14Defaults extends Contract {
        Oslo14Defaults() {
            super(OsloPython.V14, false);
        }
    }

    @Nested
    class Oslo18Defaults extends Contract {
        Oslo18Defaults() {
            super(OsloPython.V18, false);
        }
    }

    @Nested
    class Oslo18ModernOptions extends Contract {
        Oslo18ModernOptions() {
            super(OsloPython.V18, true);
        }
    }

    /** The tests, for one oslo.messaging version and one option set. */
    abstract static class Contract {
        private final TestBroker broker = TestBroker.shared();
        private final OsloPython version;
        private final boolean modern;
        private String name;
        private String exchange;
        private String topic;
        private String notifyTopic;
        private Path lockPath;
        private Connector connector;
        private OsloPeer peer;

        Contract(OsloPython version, boolean modern) {
            this.version = version;
            this.modern = modern;
        }

        /** The [oslo_messaging_rabbit] options of both sides: Java's as name, value, ... */
        private String[] javaOptions() {
            List<String> o = new ArrayList<>(List.of("control_exchange", exchange, "driver", "messagingv2",
                    "topics", notifyTopic));
            if (modern) {
                o.addAll(List.of("rabbit_quorum_queue", "true", "rabbit_transient_quorum_queue", "true",
                        "rabbit_stream_fanout", "true", "rabbit_qos_prefetch_count", "10",
                        "use_queue_manager", "true", "hostname", name + "-java", "processname", "warren"));
            }
            return o.toArray(new String[0]);
        }

        private Map<String, Object> pythonOptions() {
            Map<String, Object> o = new LinkedHashMap<>();
            if (modern) {
                o.put("rabbit_quorum_queue", true);
                o.put("rabbit_transient_quorum_queue", true);
                o.put("rabbit_stream_fanout", true);
                o.put("rabbit_qos_prefetch_count", 10);
                o.put("use_queue_manager", true);
                o.put("hostname", name + "-py");
                o.put("processname", "peer");
            }
            return o;
        }

        private OsloPeer python(String... args) throws IOException {
            return OsloPeer.start(version, pythonOptions(), lockPath, args);
        }

        @BeforeEach
        void start() throws Exception {
            broker.requireRabbitMq("the oslo peer (kombu sends call expirations Broker-J drops)");
            broker.requireOsloPeer(version, "interoperability with Python " + version);
            name = CoreFixtures.uniqueName("oslo" + version.tag());
            exchange = name + "-x";
            topic = name + "-t";
            notifyTopic = name + "-n";
            lockPath = Files.createTempDirectory("warren-it-oslo-locks");
            connector = Connector.create(CoreFixtures.config(broker, name, javaOptions()));
            connector.start();
            peer = python("serve", broker.transportUrl(), exchange, topic, "pyhost", notifyTopic);
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
            if (name == null) { // skipped before it declared anything
                return;
            }
            // Every queue of this test carries its name: topic, server, fanout (random, stable or the
            // stream), notification and pool queues, and with the queue manager the reply queues too.
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "deleting the queues of " + name);
            try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
                for (Rabbitmqctl.QueueInfo q : ctl.listQueues()) {
                    if (q.name().contains(name)) {
                        ch.queueDelete(q.name());
                    }
                }
                ch.exchangeDelete(exchange);
                ch.exchangeDelete(topic + "_fanout");
            }
            Files.deleteIfExists(Path.of("/dev/shm", name + "-py_peer_qmanager"));
            try (var files = Files.list(lockPath)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(lockPath);
        }

        private Target pythonTarget() {
            return Target.topic(topic).namespace("warren_ns").version("2.1");
        }

        @Test
        void warrenCallsAPythonServer() {
            Object result = connector.rpcClient().call(pythonTarget(), "echo",
                    Map.of("name", "wire", "n", 42, "text", "café"),
                    CallOptions.defaults().context(Map.of("request_id", "req-java-1", "user_id", "u-9")));

            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) result;
            assertThat(map.get("you_sent")).isEqualTo(Map.of("name", "wire", "n", 42, "text", "café"));
            @SuppressWarnings("unchecked")
            Map<String, Object> seen = (Map<String, Object>) map.get("context");
            assertThat(seen).containsEntry("request_id", "req-java-1").containsEntry("user_id", "u-9")
                    .containsKey("client_timeout");
            assertThat(connector.rpcClient().call(Target.topic(topic), "ping", Map.of())).isEqualTo("pong");
        }

        @Test
        void pythonFailuresArriveAsRemoteErrors() {
            assertThatThrownBy(() -> connector.rpcClient().call(pythonTarget(), "fail_builtin", Map.of("reason", "bad size")))
                    .isInstanceOfSatisfying(RemoteError.class, e -> {
                        assertThat(e.exceptionClass()).isEqualTo("ValueError");
                        assertThat(e.module()).isEqualTo("builtins");
                        assertThat(e.remoteMessage()).isEqualTo("bad size");
                        assertThat(e.traceback()).anyMatch(l -> l.contains("Traceback"));
                    });
            assertThatThrownBy(() -> connector.rpcClient().call(pythonTarget(), "fail_custom", Map.of("thing", "disk")))
                    .isInstanceOfSatisfying(RemoteError.class, e -> {
                        assertThat(e.exceptionClass()).isEqualTo("PeerError");
                        assertThat(e.kwargs()).containsEntry("thing", "disk");
                    });
            assertThatThrownBy(() -> connector.rpcClient().call(pythonTarget(), "no_such_method", Map.of()))
                    .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.exceptionClass()).isEqualTo("NoSuchMethod"));
            assertThatThrownBy(() -> connector.rpcClient().call(pythonTarget().version("3.0"), "echo", Map.of()))
                    .isInstanceOfSatisfying(RemoteError.class, e -> assertThat(e.exceptionClass()).isEqualTo("UnsupportedVersion"));
        }

        @Test
        void aSlowPythonCallStaysAliveThroughKeepAlives() {
            Object result = connector.rpcClient().call(pythonTarget(), "slow", Map.of("seconds", 3),
                    CallOptions.defaults().timeout(Duration.ofSeconds(30)).callMonitorTimeout(Duration.ofSeconds(2)));
            assertThat(result).isEqualTo("done after 3 s");
        }

        @Test
        void pythonCallsAWarrenServer() throws Exception {
            connector.rpcServer(Target.topic(topic + "-java").server("javahost"), new JavaEndpoint());

            List<JsonNode> answers = pythonCalls(topic + "-java",
                    call("echo", "{\"text\": \"from python\"}", "{\"request_id\": \"req-py-7\"}", null),
                    call("explode", "{\"why\": \"kaboom\"}", "{}", null),
                    call("nope", "{}", "{}", null),
                    call("echo", "{\"wrong\": 1}", "{}", null));
            JsonNode ok = answers.get(0);
            assertThat(ok.path("result").path("java_got").asText()).isEqualTo("from python");
            assertThat(ok.path("result").path("request_id").asText()).isEqualTo("req-py-7");

            JsonNode failed = answers.get(1);
            assertThat(failed.path("error_class").asText()).isEqualTo("RemoteError");
            assertThat(failed.path("exc_type").asText()).isEqualTo("IllegalStateException");
            assertThat(failed.path("message").asText()).isEqualTo("kaboom");

            JsonNode missing = answers.get(2);
            assertThat(missing.path("exc_type").asText()).isEqualTo("NoSuchMethod");
            // A builtins failure is re-raised by oslo as the builtin itself, as from a Python server.
            JsonNode badArgs = answers.get(3);
            assertThat(badArgs.path("error_class").asText()).isEqualTo("TypeError");
            assertThat(badArgs.path("error_module").asText()).isEqualTo("builtins");
            assertThat(badArgs.path("message").asText()).contains("unexpected keyword argument 'wrong'");
        }

        /**
         * A Java endpoint sees how each request of a Python client arrived: calls to the topic and
         * to the server (one with a call monitor), a cast and a fanout cast.
         */
        @Test
        void aWarrenEndpointSeesHowAPythonRequestArrived() throws Exception {
            String javaTopic = topic + "-java";
            Inspector inspector = new Inspector();
            connector.rpcServer(Target.topic(javaTopic).server("javahost"), inspector);

            List<JsonNode> answers = pythonCalls(javaTopic, call("inspect", "{}", "{}", null),
                    "{\"method\": \"inspect\", \"args\": {}, \"server\": \"javahost\", \"call_monitor_timeout\": 10}");
            JsonNode plain = answers.get(0).path("result");
            assertThat(plain.path("kind").asText()).isEqualTo("call");
            assertThat(plain.path("msg_id").asText()).matches("[0-9a-f]{32}");
            assertThat(plain.path("reply_to").asText()).startsWith("reply_");
            assertThat(plain.path("exchange").asText()).isEqualTo(exchange);
            assertThat(plain.path("routing_key").asText()).isEqualTo(javaTopic);
            assertThat(plain.path("envelope").asText()).isEqualTo("2.0");
            assertThat(plain.path("content_type").asText()).isEqualTo("application/json");
            assertThat(plain.path("call_monitor").asBoolean()).isFalse();

            JsonNode monitored = answers.get(1).path("result");
            assertThat(monitored.path("routing_key").asText()).isEqualTo(javaTopic + ".javahost");
            assertThat(monitored.path("call_monitor").asBoolean()).isTrue();
            assertThat(monitored.path("call_monitor_ms").asLong()).isEqualTo(10_000);
            assertThat(monitored.path("msg_id").asText()).isNotEqualTo(plain.path("msg_id").asText());

            try (OsloPeer caster = python("cast", broker.transportUrl(), exchange, javaTopic, "record_view",
                    "{\"tag\": \"direct\"}")) {
                caster.await("SENT", 60);
            }
            Map<String, Object> cast = inspector.casts.poll(30, TimeUnit.SECONDS);
            assertThat(cast).containsEntry("tag", "direct").containsEntry("kind", "cast").containsEntry("msg_id", null)
                    .containsEntry("reply_to", null).containsEntry("exchange", exchange)
                    .containsEntry("routing_key", javaTopic).containsEntry("envelope", "2.0")
                    .containsEntry("call_monitor", false);

            try (OsloPeer caster = python("cast", broker.transportUrl(), exchange, javaTopic, "record_view",
                    "{\"tag\": \"fanout\"}", "fanout")) {
                caster.await("SENT", 60);
            }
            Map<String, Object> fanout = inspector.casts.poll(30, TimeUnit.SECONDS);
            assertThat(fanout).containsEntry("tag", "fanout").containsEntry("kind", "cast")
                    .containsEntry("exchange", javaTopic + "_fanout");
        }

        /**
         * A Python caller that allows {@code nova.exception} catches the class a Warren endpoint
         * named, and the one a Python server raised behind a Warren proxy, with their kwargs; a
         * plain Java failure arrives as a RemoteError whose traceback holds the endpoint's frames
         * and none of Warren's dispatch or reflection.
         */
        @Test
        void pythonCallersRebuildTheFailureClassAWarrenEndpointNamed() throws Exception {
            connector.rpcServer(Target.topic(topic + "-java").server("javahost"), new NovaFacade(connector, pythonTarget()));

            List<JsonNode> answers = pythonCalls(topic + "-java",
                    call("find", "{\"instance\": \"vm-1\"}", "{}", null),
                    call("proxy", "{\"instance\": \"vm-2\"}", "{}", null),
                    call("explode", "{\"why\": \"kaboom\"}", "{}", null));

            JsonNode named = answers.get(0);
            assertThat(named.path("error_class").asText()).isEqualTo("InstanceNotFound_Remote");
            assertThat(mro(named)).contains("nova.exception.InstanceNotFound", "nova.exception.NotFound",
                    "nova.exception.NovaException");
            assertThat(named.path("kwargs").path("instance_id").asText()).isEqualTo("vm-1");
            assertThat(named.path("message").asText()).startsWith("Instance vm-1 could not be found.")
                    .contains("NovaFacade.find").doesNotContain("io.warren.rpc.").doesNotContain("reflect");

            JsonNode proxied = answers.get(1);
            assertThat(mro(proxied)).contains("nova.exception.InstanceNotFound");
            assertThat(proxied.path("kwargs").path("instance_id").asText()).isEqualTo("vm-2");
            assertThat(proxied.path("message").asText()).startsWith("Instance vm-2 could not be found.")
                    .as("the Python server's own traceback, forwarded").contains("fail_nova")
                    .doesNotContain("Remote error:");

            JsonNode plain = answers.get(2);
            assertThat(plain.path("error_class").asText()).isEqualTo("RemoteError");
            assertThat(plain.path("exc_type").asText()).isEqualTo("IllegalStateException");
            StringBuilder traceback = new StringBuilder(); // oslo's RemoteError keeps the tb lines as a list
            plain.path("traceback").forEach(line -> traceback.append(line.asText()));
            assertThat(traceback.toString()).startsWith("java.lang.IllegalStateException: kaboom").contains("NovaFacade.explode")
                    .doesNotContain("io.warren.rpc.").doesNotContain("reflect").doesNotContain("ThreadPoolExecutor");
        }

        private static List<String> mro(JsonNode answer) {
            List<String> classes = new ArrayList<>();
            answer.path("mro").forEach(c -> classes.add(c.asText()));
            return classes;
        }

        /**
         * A Python server and a Warren server of one topic: both declare its queues, its fanout exchange
         * and their fanout queues (with stream fanout: share one stream) without a 406, each is reached
         * by its server name from the other side, and a fanout cast from either side reaches both.
         */
        @Test
        void pythonAndWarrenServersShareOneTopic() throws Exception {
            JavaEndpoint java = new JavaEndpoint();
            connector.rpcServer(Target.topic(topic).server("javahost"), java);

            assertThat(connector.rpcClient().call(Target.topic(topic).server("pyhost"), "ping", Map.of())).isEqualTo("pong");
            List<JsonNode> answers = pythonCalls(topic, call("ping", "{}", "{}", null),
                    call("echo", "{\"text\": \"hi\"}", "{}", "javahost"));
            assertThat(answers.get(0).path("result").asText()).as("one of the two servers answers a call to the topic")
                    .isEqualTo("pong");
            assertThat(answers.get(1).path("result").path("java_got").asText()).isEqualTo("hi");

            connector.rpcClient().cast(Target.topic(topic).fanout(true), "record", Map.of("tag", "from-java"));
            assertThat(peer.await("CAST ", 30)).isEqualTo("CAST from-java");
            assertThat(java.casts.poll(30, TimeUnit.SECONDS)).isEqualTo("from-java");

            try (OsloPeer caster = python("cast", broker.transportUrl(), exchange, topic, "record",
                    "{\"tag\": \"from-python\"}", "fanout")) {
                caster.await("SENT", 60);
            }
            assertThat(peer.await("CAST ", 30)).isEqualTo("CAST from-python");
            assertThat(java.casts.poll(30, TimeUnit.SECONDS)).isEqualTo("from-python");
            assertThat(java.casts.poll(1, TimeUnit.SECONDS)).as("each cast once").isNull();
        }

        /** One call for the peer's "calls" verb: args and context as JSON, server or null. */
        private static String call(String method, String args, String context, String server) {
            return "{\"method\": \"" + method + "\", \"args\": " + args + ", \"context\": " + context
                    + (server == null ? "" : ", \"server\": \"" + server + "\"") + "}";
        }

        /** Several calls from one Python client process (a process start costs seconds here). */
        private List<JsonNode> pythonCalls(String toTopic, String... calls) throws Exception {
            List<JsonNode> answers = new ArrayList<>();
            try (OsloPeer client = python("calls", broker.transportUrl(), exchange, toTopic,
                    "[" + String.join(", ", calls) + "]")) {
                for (int i = 0; i < calls.length; i++) {
                    answers.add(JSON.readTree(client.await("{", 60)));
                }
            }
            return answers;
        }

        @Test
        void warrenNotificationsReachAPythonListener() throws Exception {
            connector.notifier("warren.host1").info(Map.of("request_id", "req-n-1", "user_id", "u-n",
                            "auth_token", "secret-token", "password", "pw"),
                    "compute.instance.create.end", Map.of("id", "vm-1", "size", 3));

            JsonNode n = JSON.readTree(peer.await("NOTIFICATION ", 30).substring("NOTIFICATION ".length()));
            assertThat(n.path("publisher_id").asText()).isEqualTo("warren.host1");
            assertThat(n.path("event_type").asText()).isEqualTo("compute.instance.create.end");
            assertThat(n.path("payload").path("id").asText()).isEqualTo("vm-1");
            assertThat(n.path("ctxt").path("request_id").asText()).isEqualTo("req-n-1");
            // oslo 18's redacted_copy().to_dict(): what from_dict on the Python side reads
            assertThat(n.path("ctxt").path("user").asText()).isEqualTo("u-n");
            assertThat(n.path("ctxt").path("user_identity").asText()).isEqualTo("u-n - - - -");
            assertThat(n.path("ctxt").hasNonNull("auth_token")).as("tokens never leave in notifications").isFalse();
            assertThat(n.path("ctxt").has("password")).isFalse();
            assertThat(n.path("metadata").path("message_id").asText()).matches("[0-9a-f-]{36}");
        }

        /** A notifier for topics of its own: the peer's topic and one nobody listens to, whose queue the notifier declares. */
        @Test
        void aNotifierForOtherTopicsReachesEachOfThem() throws Exception {
            String unheard = name + "-extra";
            connector.notifier("warren.host2", notifyTopic, unheard).info(Map.of("request_id", "req-n-2"), "extra.event",
                    Map.of("n", 2));

            JsonNode n = JSON.readTree(peer.await("NOTIFICATION ", 30).substring("NOTIFICATION ".length()));
            assertThat(n.path("publisher_id").asText()).isEqualTo("warren.host2");
            try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
                com.rabbitmq.client.GetResponse kept = ch.basicGet(unheard + ".info", true);
                assertThat(kept).as("the copy for " + unheard).isNotNull();
                assertThat(new String(kept.getBody(), java.nio.charset.StandardCharsets.UTF_8)).contains("extra.event");
            }
            assertThatThrownBy(() -> connector.notifier("warren.host2", new String[0]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one topic");
        }

        /**
         * A notification from a Python service (a RequestContext with a token), to one catch-all
         * endpoint: the context arrives as the peer sent it (oslo 18: its redacted copy, user under
         * {@code user}, {@code user_identity}, no token), and the accessors find the user.
         */
        @Test
        void pythonNotificationsReachAWarrenListener() throws Exception {
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            BlockingQueue<RequestContext> contexts = new LinkedBlockingQueue<>();
            connector.notificationListener("warren-pool-" + topic, false, new NotificationEndpoint() {
                @Override
                public Result notification(Notifier.Priority priority, RequestContext ctx, String publisherId,
                                           String eventType, Object payload, Map<String, Object> md) {
                    seen.add(priority.word() + "|" + publisherId + "|" + eventType + "|" + payload + "|" + ctx.requestId()
                            + "|" + (md.get("timestamp") != null));
                    contexts.add(ctx);
                    return Result.HANDLED;
                }
            });
            try (OsloPeer notifier = python("notify", broker.transportUrl(), exchange, notifyTopic,
                    "volume.attach.end", "{\"volume\": \"v-2\"}")) {
                notifier.await("SENT", 60);
            }
            assertThat(seen.poll(30, TimeUnit.SECONDS)).isEqualTo("info|peer.host1|volume.attach.end|{volume=v-2}|req-peer-1|true");
            RequestContext ctx = contexts.poll(1, TimeUnit.SECONDS);
            assertThat(ctx.userId()).isEqualTo("u-1");
            assertThat(ctx.projectId()).isEqualTo("p-1");
            assertThat(ctx.roles()).containsExactly("reader");
            assertThat(ctx.get("auth_token")).as("no token in a notification").isNull();
            if (version == OsloPython.V18) {
                assertThat(ctx.asMap()).containsEntry("user", "u-1").doesNotContainKey("user_id")
                        .containsEntry("user_identity", "u-1 p-1 - - -").containsEntry("is_admin_project", true)
                        .containsEntry("auth_token", null).containsEntry("read_only", false);
            }
        }
    }
}
