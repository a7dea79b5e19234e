package io.warren.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import io.warren.IncomingRequest;
import io.warren.RequestContext;
import io.warren.wire.JacksonCodec;
import io.warren.wire.OsloEnvelope;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncomingRequestTest {
    private final JacksonCodec json = new JacksonCodec();

    /** An endpoint with one method that wants the view, one that wants the context only, one neither. */
    public static class Endpoint {
        public String seen(IncomingRequest request, RequestContext ctx, String text) {
            return text + " " + (request.isCall() ? "call " + request.msgId() : "cast") + " " + ctx.requestId();
        }

        public String plain(RequestContext ctx, String text) {
            return text;
        }

        public String bare() {
            return "bare";
        }
    }

    private EndpointMethod method(String name) {
        Dispatcher d = new Dispatcher();
        d.add(new Endpoint());
        return d.find(null, "1.0", name).method;
    }

    @Test
    void onlyAMethodThatDeclaresItGetsTheView() throws Throwable {
        assertThat(method("seen").wantsIncomingRequest).isTrue();
        assertThat(method("plain").wantsIncomingRequest).as("the server makes no view for it").isFalse();
        assertThat(method("bare").wantsIncomingRequest).isFalse();

        IncomingRequest call = IncomingRequest.builder().call("m1", "reply_x").route("nova", "compute.host1").build();
        assertThat(method("seen").invoke(Map.of("text", "hi"), new RequestContext(Map.of("request_id", "r1")), call, json))
                .isEqualTo("hi call m1 r1");
        assertThat(method("plain").invoke(Map.of("text", "hi"), new RequestContext(Map.of()), null, json)).isEqualTo("hi");
    }

    @Test
    void theViewIsNotAKeywordArgument() {
        assertThatThrownBy(() -> method("seen").invoke(Map.of("text", "hi", "request", "x"), new RequestContext(Map.of()),
                IncomingRequest.builder().build(), json))
                .isInstanceOf(EndpointMethod.ArgumentError.class)
                .hasMessage("seen() got an unexpected keyword argument 'request'");
    }

    @Test
    void aCastAndACallWithAMonitor() {
        IncomingRequest cast = IncomingRequest.builder().route("nova_fanout", "compute").build();
        assertThat(cast.isCast()).isTrue();
        assertThat(cast.isCall()).isFalse();
        assertThat(cast.msgId()).isNull();
        assertThat(cast.replyTo()).isNull();
        assertThat(cast.hasCallMonitor()).isFalse();
        assertThat(cast.envelopeVersion()).isEqualTo("2.0");
        assertThat(cast.contentType()).isEqualTo("application/json");

        IncomingRequest call = IncomingRequest.builder().call("m2", "reply_y").route("nova", "compute")
                .callMonitorTimeout(Duration.ofSeconds(4)).envelopeVersion("1.0").build();
        assertThat(call.hasCallMonitor()).isTrue();
        assertThat(call.callMonitorTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(call).isEqualTo(IncomingRequest.builder().call("m2", "reply_y").route("nova", "compute")
                .callMonitorTimeout(Duration.ofSeconds(4)).envelopeVersion("1.0").build());
        assertThat(call.toString()).contains("call m2 reply to reply_y", "nova / compute", "call monitor PT4S");

        assertThatThrownBy(() -> IncomingRequest.builder().callMonitorTimeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a cast has no call monitor");
        assertThatThrownBy(() -> IncomingRequest.builder().callMonitorTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive or null");
    }

    @Test
    void theEnvelopeVersionOfCapturedOsloMessages() throws Exception {
        OsloEnvelope envelope = new OsloEnvelope(json, 1 << 20);
        assertThat(envelope.versionOf(body("rpc_call_with_call_monitor_request.json"), props())).isEqualTo("2.0");
        assertThat(envelope.versionOf(body("notification_v1_info.json"), props())).isEqualTo("1.0");
    }

    private static AMQP.BasicProperties props() {
        return new AMQP.BasicProperties.Builder().contentType("application/json").contentEncoding("utf-8")
                .headers(Map.of()).build();
    }

    private byte[] body(String fixture) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/oslo-wire/" + fixture)) {
            return new ObjectMapper().readTree(in).get("body").asText().getBytes(StandardCharsets.UTF_8);
        }
    }
}
