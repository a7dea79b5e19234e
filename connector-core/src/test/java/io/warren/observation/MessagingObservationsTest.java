package io.warren.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.warren.Target;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import javax.management.ObjectName;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The observations with Micrometer Tracing's OpenTelemetry bridge, no broker: what a sender
 * writes into the oslo context is what a receiver continues, in the W3C format the Python
 * instrumentation reads; names and tags follow the messaging conventions; nothing of the context
 * ends up in a span; and without a registry nothing is made.
 */
class MessagingObservationsTest {
    /** Version 00, trace id, span id, flags (sampled; OpenTelemetry also sets the random-trace-id bit). */
    private static final String W3C = "00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]";

    @Test
    void aCallCarriesItsSpanInTheContextAndTheServerContinuesIt() {
        try (InMemoryTracing tracing = new InMemoryTracing()) {
            MessagingObservations observations = MessagingObservations.of(tracing.registry);
            assertThat(observations.on()).isTrue();
            Map<String, Object> context = new LinkedHashMap<>(Map.of("request_id", "req-1", "auth_token", "NEVER-LOGGED-tok"));
            Observation http = Observation.start("http.server.requests", tracing.registry);
            Observation call;
            try (Observation.Scope scope = http.openScope()) {
                call = observations.call(Target.topic("compute").version("5.0"), "get_console", "5.0", "nova",
                        "compute.host1", "msg-1", context).start();
            }
            // The tracer bridge wrote the W3C entry, and nothing else changed.
            assertThat(context).containsKeys("request_id", "auth_token", "traceparent");
            assertThat((String) context.get("traceparent")).matches(W3C);

            // The server side: the request's context as received, after the wire.
            Map<String, Object> received = new LinkedHashMap<>(context);
            Observation serving = observations.serve("compute", "nova", "get_console", null, "5.0", "msg-1", received).start();
            Map<String, Object> replyContext = new LinkedHashMap<>();
            Observation reply = observations.reply(serving, "compute", "get_console", "reply_x", "msg-1", replyContext).start();
            MessagingObservations.stop(reply, "ok", null, null);
            MessagingObservations.stop(serving, "ok", null, null);
            MessagingObservations.stop(call, "remote_error", "ValueError", null);
            http.stop();

            SpanData httpSpan = tracing.span("http.server.requests");
            SpanData callSpan = tracing.span("call compute");
            SpanData processSpan = tracing.span("oslo.messaging.rpc.process");
            SpanData replySpan = tracing.span("reply compute");
            assertThat(callSpan.getParentSpanId()).isEqualTo(httpSpan.getSpanId());
            assertThat(callSpan.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat((String) context.get("traceparent"))
                    .startsWith("00-" + callSpan.getTraceId() + "-" + callSpan.getSpanId() + "-");
            assertThat(processSpan.getTraceId()).isEqualTo(httpSpan.getTraceId());
            assertThat(processSpan.getParentSpanId()).isEqualTo(callSpan.getSpanId());
            assertThat(processSpan.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(replySpan.getParentSpanId()).isEqualTo(processSpan.getSpanId());
            assertThat((String) replyContext.get("traceparent"))
                    .startsWith("00-" + replySpan.getTraceId() + "-" + replySpan.getSpanId() + "-");

            assertThat(attr(callSpan, "messaging.system")).isEqualTo("rabbitmq");
            assertThat(attr(callSpan, "messaging.operation.type")).isEqualTo("send");
            assertThat(attr(callSpan, "messaging.operation.name")).isEqualTo("call");
            assertThat(attr(callSpan, "messaging.destination.name")).isEqualTo("compute");
            assertThat(attr(callSpan, "messaging.rabbitmq.destination.routing_key")).isEqualTo("compute.host1");
            assertThat(attr(callSpan, "oslo_messaging.target.exchange")).isEqualTo("nova");
            assertThat(attr(callSpan, "rpc.method")).isEqualTo("get_console");
            assertThat(attr(callSpan, "rpc.service")).isEqualTo("none");
            assertThat(attr(callSpan, "oslo_messaging.target.version")).isEqualTo("5.0");
            assertThat(attr(callSpan, "messaging.message.id")).isEqualTo("msg-1");
            assertThat(attr(callSpan, "outcome")).isEqualTo("remote_error");
            assertThat(attr(callSpan, "error.type")).isEqualTo("ValueError");
            assertThat(attr(processSpan, "messaging.operation.type")).isEqualTo("process");
            assertThat(attr(processSpan, "outcome")).isEqualTo("ok");
            assertThat(attr(processSpan, "error.type")).isEqualTo("none");

            // Context values never become span data.
            for (SpanData span : tracing.spans()) {
                assertThat(span.getAttributes().asMap().values().toString()).doesNotContain("NEVER-LOGGED", "req-1");
            }
        }
    }

    @Test
    void aNotificationCarriesItsSpanToTheListener() {
        try (InMemoryTracing tracing = new InMemoryTracing()) {
            MessagingObservations observations = MessagingObservations.of(tracing.registry);
            Map<String, Object> context = new LinkedHashMap<>();
            Observation sent = observations.notify("notifications", "info", "nova", "notifications.info",
                    "compute.instance.create.end", "compute.host1", "m-1", context).start();
            MessagingObservations.stop(sent, "ok", null, null);
            Observation handled = observations.handle("notifications", "nova", "info", "compute.instance.create.end",
                    "compute.host1", "m-1", new LinkedHashMap<>(context)).start();
            MessagingObservations.stop(handled, "requeued", null, null);

            SpanData send = tracing.span("notify notifications");
            SpanData process = tracing.span("oslo.messaging.notification.process");
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(process.getTraceId()).isEqualTo(send.getTraceId());
            assertThat(attr(process, "oslo_messaging.notification.priority")).isEqualTo("info");
            assertThat(attr(process, "oslo_messaging.notification.event_type")).isEqualTo("compute.instance.create.end");
            assertThat(attr(process, "outcome")).isEqualTo("requeued");
        }
    }

    @Test
    void aRequestFromAnUntracedPeerStartsItsOwnTrace() {
        try (InMemoryTracing tracing = new InMemoryTracing()) {
            MessagingObservations observations = MessagingObservations.of(tracing.registry);
            // Not a string: context values are the peer's JSON, and only a string can be a header.
            Map<String, Object> context = new LinkedHashMap<>(Map.of("traceparent", 42));
            MessagingObservations.stop(observations.serve("compute", "nova", "<unknown>", "ns", null, null, context).start(),
                    "remote_error", "NoSuchMethod", null);
            SpanData process = tracing.span("oslo.messaging.rpc.process");
            assertThat(process.getParentSpanContext().isValid()).isFalse();
            assertThat(attr(process, "rpc.service")).isEqualTo("ns");
            assertThat(attr(process, "oslo_messaging.target.version")).isEqualTo("none");
        }
    }

    @Test
    void withoutARegistryNothingIsObservedAndNothingAllocated() throws Exception {
        assertThat(MessagingObservations.of(null)).isSameAs(MessagingObservations.OFF);
        assertThat(MessagingObservations.of(ObservationRegistry.NOOP)).isSameAs(MessagingObservations.OFF);
        assertThat(MessagingObservations.OFF.on()).isFalse();
        Map<String, Object> context = new LinkedHashMap<>();
        // The senders never get this far when off; if one did, the carrier would still stay untouched.
        MessagingObservations.OFF.call(Target.topic("t"), "m", null, "x", "t", "id", context).start().stop();
        assertThat(context).isEmpty();

        // What the send and receive paths do per message when off: the check, the no-op scope, the no-op stop.
        Observation noop = Observation.NOOP;
        int checks = 0;
        for (int i = 0; i < 20_000; i++) { // warm up: the JIT, and the first use of each class
            checks += perMessageWhenOff(noop);
        }
        long before = allocatedByThisThread();
        for (int i = 0; i < 100_000; i++) {
            checks += perMessageWhenOff(noop);
        }
        long allocated = allocatedByThisThread() - before;
        assertThat(checks).isZero();
        // Well under one byte a message: the measurement itself allocates a little.
        assertThat(allocated).as("bytes allocated by 100,000 untraced messages").isLessThan(10_000);
    }

    @SuppressWarnings("try")
    private static int perMessageWhenOff(Observation noop) {
        int on = MessagingObservations.OFF.on() ? 1 : 0;
        try (Observation.Scope scope = noop.openScope()) {
            MessagingObservations.stop(noop, "ok", null, null);
        }
        return on;
    }

    /** HotSpot's per-thread allocation counter, read through JMX (the module reads java.management only). */
    private static long allocatedByThisThread() throws Exception {
        return (Long) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("java.lang:type=Threading"),
                "getThreadAllocatedBytes", new Object[] {Thread.currentThread().getId()}, new String[] {"long"});
    }

    private static String attr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }
}
