package io.warren.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** What Python may send, and what Warren refuses, read through the envelope. */
class OsloEnvelopeTest {
    private final JacksonCodec json = new JacksonCodec();
    private final OsloEnvelope envelope = new OsloEnvelope(json, 4096);

    private Map<String, Object> open(String body) throws WireException {
        return envelope.open(body.getBytes(StandardCharsets.UTF_8), OsloEnvelope.properties(null));
    }

    @Test
    void pythonsNonFiniteFloatsBigIntegersAndEscapesAreRead() throws Exception {
        Map<String, Object> m = open("{\"oslo.version\": \"2.0\", \"oslo.message\": "
                + "\"{\\\"a\\\": NaN, \\\"b\\\": Infinity, \\\"c\\\": -Infinity, "
                + "\\\"big\\\": 123456789012345678901234567890, \\\"t\\\": \\\"caf\\\\u00e9\\\"}\"}");

        assertThat((Double) m.get("a")).isNaN();
        assertThat(m.get("b")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(m.get("c")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(m.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(m.get("t")).isEqualTo("café");
        // And written back the way Python's json module reads them.
        String text = json.writeString(m);
        assertThat(text).contains("NaN").contains("Infinity").contains("123456789012345678901234567890")
                .contains("caf\\u00E9");
    }

    @Test
    void anOversizedBodyIsRefusedBeforeParsing() {
        String big = "{\"x\": \"" + "y".repeat(5000) + "\"}";
        assertThatThrownBy(() -> open(big))
                .isInstanceOfSatisfying(WireException.class, e -> assertThat(e.kind()).isEqualTo(WireException.Kind.TOO_LARGE))
                .hasMessageContaining("warren_max_message_bytes (4096)");
    }

    @Test
    void aSmallZlibBombIsStoppedAtTheCap() {
        byte[] zeros = new byte[1_000_000];
        Deflater d = new Deflater();
        d.setInput(("{\"x\": \"" + new String(zeros, StandardCharsets.ISO_8859_1) + "\"}").getBytes(StandardCharsets.ISO_8859_1));
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        AMQP.BasicProperties gzip = OsloEnvelope.properties(null).builder()
                .headers(Map.of("compression", "application/x-gzip")).build();
        assertThat(out.size()).isLessThan(4096);
        assertThatThrownBy(() -> envelope.open(out.toByteArray(), gzip))
                .isInstanceOfSatisfying(WireException.class, e -> assertThat(e.kind()).isEqualTo(WireException.Kind.TOO_LARGE));
    }

    @Test
    void kombusGzipIsZlibAndIsRead() throws Exception {
        byte[] plain = "{\"method\": \"echo\", \"args\": {}}".getBytes(StandardCharsets.UTF_8);
        Deflater d = new Deflater();
        d.setInput(plain);
        d.finish();
        byte[] buf = new byte[256];
        int n = d.deflate(buf);
        AMQP.BasicProperties gzip = OsloEnvelope.properties(null).builder()
                .headers(Map.of("compression", "application/x-gzip")).build();
        assertThat(envelope.open(java.util.Arrays.copyOf(buf, n), gzip)).containsEntry("method", "echo");
        AMQP.BasicProperties bz2 = OsloEnvelope.properties(null).builder()
                .headers(Map.of("compression", "application/x-bz2")).build();
        assertThatThrownBy(() -> envelope.open(plain, bz2)).hasMessageContaining("application/x-bz2");
    }

    @Test
    void badEnvelopesNameWhatIsWrong() {
        assertThatThrownBy(() -> open("{\"oslo.version\": \"2.1\", \"oslo.message\": \"{}\"}"))
                .isInstanceOfSatisfying(WireException.class, e -> assertThat(e.kind()).isEqualTo(WireException.Kind.UNSUPPORTED_VERSION));
        assertThatThrownBy(() -> open("{\"oslo.version\": \"2.0\", \"oslo.message\": 5}"))
                .hasMessageContaining("oslo.message");
        assertThatThrownBy(() -> open("[]")).hasMessageContaining("expected an object");
        assertThatThrownBy(() -> open("{\"method\": ")).isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.kind()).isEqualTo(WireException.Kind.MALFORMED_JSON));
        assertThatThrownBy(() -> RpcRequest.from(Map.of("method", "m"))).hasMessageContaining("'args' is missing");
        assertThatThrownBy(() -> envelope.open("{}".getBytes(StandardCharsets.UTF_8), new AMQP.BasicProperties()))
                .hasMessageContaining("content_type is missing");
    }

    @Test
    void anEnvelopeOfAnotherShapeIsReadTheGeneralWay() throws Exception {
        // Not oslo's two members in oslo's order: the one-pass reader steps aside, the result is the same.
        assertThat(open("{\"oslo.message\": \"{\\\"a\\\": 1}\", \"oslo.version\": \"2.0\"}")).isEqualTo(Map.of("a", 1));
        assertThat(open("{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"a\\\": 1}\", \"x\": 2}"))
                .isEqualTo(Map.of("a", 1));
        assertThat(open("{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"a\\\": \\\"caf\\\\u00e9\\\"}\"}"))
                .isEqualTo(Map.of("a", "caf\u00e9"));
        assertThatThrownBy(() -> open("{\"oslo.version\": \"2.0\", \"oslo.message\": \"[1]\"}"))
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> open("{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"a\\\": \"}"))
                .isInstanceOfSatisfying(WireException.class, e -> assertThat(e.kind()).isEqualTo(WireException.Kind.MALFORMED_JSON));
    }

    @Test
    void sealingWritesTheBytesOfTheCodecsOwnEnvelope() throws Exception {
        java.util.List<Map<String, Object>> messages = new java.util.ArrayList<>();
        messages.add(new RpcRequest("echo", Map.of("payload", "x".repeat(100)), "compute", "2.1", "a1", "reply_b2",
                null, "c3", Map.of("request_id", "req-1")).toMessage());
        messages.add(Map.of("quotes", "say \"hi\" \\ back\\slash /slash", "nested", Map.of("q", "\"\\\"")));
        messages.add(Map.of("unicode", "caf\u00e9 \u2028 \ud83d\ude00 \u0000 \t\n\r\b\f"));
        messages.add(Map.of("delete", "a\u007fb", "nan", Double.NaN, "inf", Double.NEGATIVE_INFINITY,
                "big", new BigInteger("123456789012345678901234567890")));
        java.util.Map<String, Object> empty = new java.util.LinkedHashMap<>();
        messages.add(empty);
        assertThat(envelope.sealPrintable(messages.get(0))).as("a plain request takes the fast way").isNotNull();
        for (Map<String, Object> m : messages) {
            assertThat(new String(envelope.seal(m), StandardCharsets.UTF_8)).as(m.toString())
                    .isEqualTo(new String(envelope.sealSlow(m), StandardCharsets.UTF_8));
            assertThat(envelope.open(envelope.seal(m), OsloEnvelope.properties(null)).toString()).isEqualTo(m.toString());
        }
    }

    @Test
    void aMessageOverTheCapIsRefusedBeforeSendingNamingTheOptionAndTheSize() throws Exception {
        // The largest body that goes, and one byte more, the way seal and bare count: encoded bytes.
        Map<String, Object> fits = new java.util.LinkedHashMap<>();
        fits.put("x", "");
        int overhead = envelope.seal(fits).length;
        fits.put("x", "y".repeat(4096 - overhead));
        assertThat(envelope.seal(fits)).hasSize(4096);
        assertThat(envelope.open(envelope.seal(fits), OsloEnvelope.properties(null))).isEqualTo(fits);

        Map<String, Object> over = Map.of("x", "y".repeat(4096 - overhead + 1));
        assertThatThrownBy(() -> envelope.seal(over, "call get_server on Target[topic=compute]"))
                .isInstanceOfSatisfying(io.warren.MessageTooLargeException.class, e -> {
                    assertThat(e.size()).isEqualTo(4097);
                    assertThat(e.limit()).isEqualTo(4096);
                })
                .hasMessage("call get_server on Target[topic=compute] is 4097 bytes encoded, over "
                        + "warren_max_message_bytes (4096); nothing was sent: send less, or raise "
                        + "warren_max_message_bytes on every peer");
        // Counted as sent: each e-acute is 7 bytes once escaped in the inner JSON and escaped again in the envelope.
        assertThatThrownBy(() -> envelope.seal(Map.of("x", "\u00e9".repeat(1000))))
                .isInstanceOf(io.warren.MessageTooLargeException.class).hasMessageStartingWith("the message is 7052 bytes");
        // Format 1.0 (the messaging notification driver) has the same cap.
        assertThatThrownBy(() -> envelope.bare(Map.of("x", "y".repeat(4096)), "notification x (info)"))
                .isInstanceOf(io.warren.MessageTooLargeException.class).hasMessageStartingWith("notification x (info) is 4104 bytes");
    }
}
