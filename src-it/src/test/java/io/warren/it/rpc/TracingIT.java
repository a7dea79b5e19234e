package io.warren.it.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.micrometer.observation.Observation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.warren.Connector;
import io.warren.NotificationEndpoint;
import io.warren.RequestContext;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.InMemoryTracing;
import io.warren.it.support.OsloPython;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
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
 * One trace across services through the real broker: two Java connectors, each with its own
 * tracer (two applications, so nothing but the message carries the trace), and the live Python
 * oslo.messaging 14 and 18 peers, traced where and as opentelemetry-instrumentation-oslo-messaging
 * traces them (traced_peer.py).
 */
class TracingIT {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String attr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    /** The Java endpoint: serving a call, it casts to a second topic and notifies. */
    public static final class WorkEndpoint {
        private final Connector connector;
        private final String nextTopic;

        WorkEndpoint(Connector connector, String nextTopic) {
            this.connector = connector;
            this.nextTopic = nextTopic;
        }

        public String work(RequestContext ctx, String item) {
            connector.rpcClient().cast(Target.topic(nextTopic), "record", Map.of("tag", item));
            connector.notifier("server.host1").info(Map.of("request_id", String.valueOf(ctx.requestId())),
                    "work.done", Map.of("item", item));
            return "worked on " + item + " under " + ctx.get("traceparent");
        }
    }

    /** Records the casts it is sent. */
    public static final class Recorder {
        final BlockingQueue<String> tags = new LinkedBlockingQueue<>();

        public void record(String tag) {
            tags.add(tag);
        }
    }

    /** Fails every call. */
    public static final class Exploding {
        public String explode() {
            throw new IllegalStateException("no");
        }
    }

    private static final class Collecting implements NotificationEndpoint {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public Result info(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
            events.add(eventType);
            return Result.HANDLED;
        }
    }

    @Nested
    class JavaToJava {
        private final TestBroker broker = TestBroker.shared();
        private final InMemoryTracing clientTracing = new InMemoryTracing();
        private final InMemoryTracing serverTracing = new InMemoryTracing();
        private String name;
        private Connector client;
        private Connector server;

        @BeforeEach
        void start() {
            name = CoreFixtures.uniqueName("trace");
            String[] options = {"control_exchange", name + "-x", "driver", "messagingv2", "topics", name + "-n"};
            client = Connector.builder(CoreFixtures.config(broker, name + "-client", options))
                    .observationRegistry(clientTracing.registry).build();
            server = Connector.builder(CoreFixtures.config(broker, name + "-server", options))
                    .observationRegistry(serverTracing.registry).build();
            client.start();
            server.start();
        }

        @AfterEach
        void stop() throws Exception {
            client.stop(Duration.ofSeconds(10));
            server.stop(Duration.ofSeconds(10));
            clientTracing.close();
            serverTracing.close();
            deleteQueuesAndExchanges(broker, name);
        }

        @Test
        void aCallItsServerAndWhatTheServerSendsAreOneTrace() throws Exception {
            String topic = name + "-work";
            String next = name + "-next";
            Recorder recorder = new Recorder();
            server.rpcServer(Target.topic(topic).server("s1"), new WorkEndpoint(server, next));
            server.rpcServer(Target.topic(next).server("s1"), recorder);
            Collecting notifications = new Collecting();
            client.notificationListener(null, false, notifications);

            // The application's own span (a request it serves), current while it calls.
            Observation request = Observation.start("app.request", clientTracing.registry);
            Object result;
            try (Observation.Scope scope = request.openScope()) {
                result = client.rpcClient().call(Target.topic(topic), "work",
                        Map.of("item", "vm-1"), io.warren.CallOptions.defaults().context(
                                Map.of("request_id", "req-trace-1", "auth_token", "NEVER-LOGGED-token")));
                client.rpcClient().cast(Target.topic(next).fanout(true), "record", Map.of("tag", "everyone"));
            } finally {
                request.stop();
            }
            assertThat(recorder.tags.poll(20, TimeUnit.SECONDS)).isNotNull();
            assertThat(recorder.tags.poll(20, TimeUnit.SECONDS)).isNotNull();
            assertThat(notifications.events.poll(20, TimeUnit.SECONDS)).isEqualTo("work.done");

            SpanData app = clientTracing.awaitSpan("app.request", BOUND);
            SpanData call = clientTracing.awaitSpan("call " + topic, BOUND);
            SpanData fanout = clientTracing.awaitSpan("fanout " + next, BOUND);
            assertThat(call.getParentSpanId()).isEqualTo(app.getSpanId());
            assertThat(call.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(fanout.getParentSpanId()).isEqualTo(app.getSpanId());
            // The endpoint saw the carrier: the call's own span, in the W3C format.
            assertThat(result).asString().matches("worked on vm-1 under 00-" + call.getTraceId() + "-"
                    + call.getSpanId() + "-0[13]");

            String trace = app.getTraceId();
            List<SpanData> served = awaitSpans(serverTracing, "oslo.messaging.rpc.process", 3);
            SpanData work = served.stream().filter(s -> "work".equals(attr(s, "rpc.method"))).findFirst().orElseThrow();
            assertThat(work.getTraceId()).isEqualTo(trace);
            assertThat(work.getParentSpanId()).as("the server span's parent is the client's call").isEqualTo(call.getSpanId());
            assertThat(work.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(attr(work, "messaging.destination.name")).isEqualTo(topic);
            assertThat(attr(work, "outcome")).isEqualTo("ok");

            SpanData reply = serverTracing.awaitSpan("reply " + topic, BOUND);
            SpanData innerCast = serverTracing.awaitSpan("cast " + next, BOUND);
            SpanData notify = serverTracing.awaitSpan("notify " + name + "-n", BOUND);
            assertThat(List.of(reply, innerCast, notify)).allSatisfy(s -> {
                assertThat(s.getTraceId()).isEqualTo(trace);
                assertThat(s.getParentSpanId()).as(s.getName() + " is a child of serving the call").isEqualTo(work.getSpanId());
            });
            // The cast made while serving, and the client's fanout, are served under their own senders.
            assertThat(served).anySatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(innerCast.getSpanId()));
            assertThat(served).anySatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(fanout.getSpanId()));
            // The notification comes back to the client's listener, in the same trace.
            SpanData handled = clientTracing.awaitSpan("oslo.messaging.notification.process", BOUND);
            assertThat(handled.getTraceId()).isEqualTo(trace);
            assertThat(handled.getParentSpanId()).isEqualTo(notify.getSpanId());
            assertThat(attr(handled, "oslo_messaging.notification.priority")).isEqualTo("info");

            List<SpanData> all = new ArrayList<>(clientTracing.spans());
            all.addAll(serverTracing.spans());
            for (SpanData s : all) {
                assertThat(attr(s, "messaging.system")).as(s.getName()).isIn("rabbitmq", null);
                assertThat(s.getAttributes().asMap().values().toString()).as("context values in " + s.getName())
                        .doesNotContain("NEVER-LOGGED", "req-trace-1", "vm-1");
            }
        }

        @Test
        void aRemoteErrorEndsTheCallSpanWithItsClass() {
            String topic = name + "-fail";
            server.rpcServer(Target.topic(topic).server("s1"), new Exploding());
            try {
                client.rpcClient().call(Target.topic(topic), "explode", Map.of());
            } catch (io.warren.RemoteError expected) {
                // the span says so
            }
            SpanData call = clientTracing.awaitSpan("call " + topic, BOUND);
            assertThat(attr(call, "outcome")).isEqualTo("remote_error");
            assertThat(attr(call, "error.type")).isEqualTo("IllegalStateException");
            SpanData served = serverTracing.awaitSpan("oslo.messaging.rpc.process", BOUND);
            assertThat(attr(served, "outcome")).isEqualTo("remote_error");
            assertThat(attr(served, "error.type")).isEqualTo("IllegalStateException");
            assertThat(served.getParentSpanId()).isEqualTo(call.getSpanId());
        }
    }

    abstract static class WithPython {
        private final TestBroker broker = TestBroker.shared();
        private final OsloPython version;
        private final InMemoryTracing tracing = new InMemoryTracing();
        private String name;
        private Connector connector;
        private OsloPeer peer;

        WithPython(OsloPython version) {
            this.version = version;
        }

        @BeforeEach
        void start() throws Exception {
            broker.requireRabbitMq("the oslo peer (kombu sends call expirations Broker-J drops)");
            broker.requireOsloPeer(version, "tracing with Python " + version);
            name = CoreFixtures.uniqueName("trace" + version.tag());
            connector = Connector.builder(CoreFixtures.config(broker, name, "control_exchange", name + "-x",
                    "driver", "messagingv2", "topics", name + "-pyn")).observationRegistry(tracing.registry).build();
            connector.start();
            peer = OsloPeer.startScript("traced_peer.py", version, Map.of(), null, "serve", broker.transportUrl(),
                    name + "-x", name + "-py", "pyhost", name + "-pyn", name + "-java", name + "-javan");
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
            tracing.close();
            if (name != null) {
                deleteQueuesAndExchanges(broker, name);
            }
        }

        @Test
        void aJavaCallContinuesInPythonAndWhatPythonSendsComesBackInTheSameTrace() throws Exception {
            Recorder recorder = new Recorder();
            connector.rpcServer(Target.topic(name + "-java").server("j1"), recorder);
            Collecting notifications = new Collecting();
            connector.notificationListener(null, List.of(name + "-javan"), null, false, notifications);

            Observation request = Observation.start("app.request", tracing.registry);
            Object result;
            try (Observation.Scope scope = request.openScope()) {
                result = connector.rpcClient().call(Target.topic(name + "-py"), "traced_work", Map.of("item", "vm-7"));
            } finally {
                request.stop();
            }
            SpanData call = tracing.awaitSpan("call " + name + "-py", BOUND);
            String sent = "00-" + call.getTraceId() + "-" + call.getSpanId() + "-";

            // Python received the carrier where its instrumentation reads it, naming the call's span.
            JsonNode process = json(peer.await("PROCESS ", 30));
            assertThat(process.path("what").asText()).isEqualTo("rpc");
            assertThat(process.path("traceparent").asText()).startsWith(sent);
            assertThat(process.path("parent").asText()).isEqualTo(call.getSpanId());
            assertThat(((Map<?, ?>) result).get("received_traceparent")).isEqualTo(process.path("traceparent").asText());

            // What Python sent while serving continues the trace in Java: the cast and the notification.
            Map<String, JsonNode> sends = new java.util.HashMap<>();
            for (int i = 0; i < 2; i++) {
                JsonNode send = json(peer.await("SEND ", 30));
                sends.put(send.path("what").asText(), send);
            }
            assertThat(sends).containsOnlyKeys("rpc", "notification");
            assertThat(recorder.tags.poll(20, TimeUnit.SECONDS)).isEqualTo("vm-7");
            assertThat(notifications.events.poll(20, TimeUnit.SECONDS)).isEqualTo("traced.work.done");
            SpanData servedCast = tracing.awaitSpan("oslo.messaging.rpc.process", BOUND);
            SpanData handled = tracing.awaitSpan("oslo.messaging.notification.process", BOUND);
            assertThat(servedCast.getTraceId()).isEqualTo(call.getTraceId());
            assertThat(servedCast.getParentSpanId()).isEqualTo(sends.get("rpc").path("span_id").asText());
            assertThat(handled.getTraceId()).isEqualTo(call.getTraceId());
            assertThat(handled.getParentSpanId()).isEqualTo(sends.get("notification").path("span_id").asText());
            for (JsonNode send : sends.values()) {
                assertThat(send.path("trace_id").asText()).isEqualTo(call.getTraceId());
                assertThat(send.path("parent").asText()).isEqualTo(process.path("span_id").asText());
            }
        }

        @Test
        void aJavaNotificationContinuesInAPythonListener() throws Exception {
            Observation request = Observation.start("app.request", tracing.registry);
            try (Observation.Scope scope = request.openScope()) {
                connector.notifier("warren.host1").info(Map.of("request_id", "req-n"), "compute.create.end", Map.of());
            } finally {
                request.stop();
            }
            SpanData notify = tracing.awaitSpan("notify " + name + "-pyn", BOUND);
            JsonNode process = json(peer.await("PROCESS ", 30));
            assertThat(process.path("what").asText()).isEqualTo("notification");
            assertThat(process.path("trace_id").asText()).isEqualTo(notify.getTraceId());
            assertThat(process.path("parent").asText()).isEqualTo(notify.getSpanId());
        }

        private static JsonNode json(String line) throws Exception {
            return JSON.readTree(line.substring(line.indexOf(' ') + 1));
        }
    }

    @Nested
    class WithPython14 extends WithPython {
        WithPython14() {
            super(OsloPython.V14);
        }
    }

    @Nested
    class WithPython18 extends WithPython {
        WithPython18() {
            super(OsloPython.V18);
        }
    }

    private static List<SpanData> awaitSpans(InMemoryTracing tracing, String name, int count) {
        CoreFixtures.waitUntil(BOUND, count + " spans " + name,
                () -> tracing.spans().stream().filter(s -> s.getName().equals(name)).count() >= count);
        return tracing.spans().stream().filter(s -> s.getName().equals(name)).toList();
    }

    static void deleteQueuesAndExchanges(TestBroker broker, String name) throws Exception {
        Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "deleting the queues of " + name);
        try (Connection c = broker.connectionFactory().newConnection(); Channel ch = c.createChannel()) {
            for (Rabbitmqctl.QueueInfo q : ctl.listQueues()) {
                if (q.name().contains(name)) {
                    ch.queueDelete(q.name());
                }
            }
            for (String x : List.of(name + "-x", name + "-work_fanout", name + "-next_fanout", name + "-fail_fanout",
                    name + "-py_fanout", name + "-java_fanout")) {
                ch.exchangeDelete(x);
            }
        }
    }
}
