package io.warren.wire;

import com.rabbitmq.client.AMQP;
import io.warren.MessageTooLargeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * oslo.messaging's message format 2.0: the real message is JSON text kept as a string inside a
 * JSON object, {@code {"oslo.version": "2.0", "oslo.message": "<json>"}}, sent with exactly
 * oslo's AMQP properties. Reading also takes un-enveloped objects (format 1.0, what the
 * {@code messaging} notification driver sends) and refuses any other envelope version.
 */
public final class OsloEnvelope {
    /** The envelope version Warren writes and reads. */
    public static final String VERSION = "2.0";
    private static final String VERSION_KEY = "oslo.version";
    private static final String MESSAGE_KEY = "oslo.message";

    private final JsonCodec json;
    private final int maxBytes;

    /**
     * @param json the codec
     * @param maxBytes bodies above this are refused before parsing (also after inflating)
     */
    public OsloEnvelope(JsonCodec json, int maxBytes) {
        this.json = json;
        this.maxBytes = maxBytes;
    }

    /** @return the codec */
    public JsonCodec json() {
        return json;
    }

    /**
     * oslo's properties: application/json, utf-8, empty headers, persistent, priority 0.
     *
     * @param expirationMillis set on RPC calls only (the call timeout), else null
     */
    public static AMQP.BasicProperties properties(Long expirationMillis) {
        return expirationMillis == null ? PLAIN : build(expirationMillis);
    }

    // Immutable (no setters, an immutable headers map), so every message may share it.
    private static final AMQP.BasicProperties PLAIN = build(null);

    private static AMQP.BasicProperties build(Long expirationMillis) {
        AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .headers(Map.of())
                .deliveryMode(2)
                .priority(0);
        if (expirationMillis != null) {
            b.expiration(Long.toString(expirationMillis));
        }
        return b.build();
    }

    /** @return a new uuid4 in hex without dashes, as oslo's RPC ids are */
    public static String newId() {
        UUID u = UUID.randomUUID();
        byte[] hex = new byte[32];
        digits(u.getMostSignificantBits(), hex, 0);
        digits(u.getLeastSignificantBits(), hex, 16);
        // Three ids a call: written straight into one array instead of two padded strings joined.
        return new String(hex, StandardCharsets.US_ASCII);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static void digits(long v, byte[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }

    private static final byte[] SEAL_HEAD = ("{\"" + VERSION_KEY + "\":\"" + VERSION + "\",\"" + MESSAGE_KEY + "\":\"")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEAL_TAIL = "\"}".getBytes(StandardCharsets.US_ASCII);

    /**
     * @return the enveloped body of {@code message}
     * @throws MessageTooLargeException when it is over {@code warren_max_message_bytes}
     */
    public byte[] seal(Map<String, Object> message) {
        return seal(message, "the message");
    }

    /**
     * @param what the message in words, for the error (e.g. {@code call get_server on ...})
     * @return the enveloped body of {@code message}
     * @throws MessageTooLargeException when it is over {@code warren_max_message_bytes}: a peer
     *         with the same limit would refuse it unread, so it is refused here, before sending
     */
    public byte[] seal(Map<String, Object> message, String what) {
        byte[] fast = sealPrintable(message);
        return withinLimit(fast != null ? fast : sealSlow(message), what);
    }

    private byte[] withinLimit(byte[] body, String what) {
        if (body.length > maxBytes) {
            throw new MessageTooLargeException(what, body.length, maxBytes);
        }
        return body;
    }

    /**
     * The envelope written in one pass: the codec writes the inner message straight into the
     * outer string's escaped form (see {@link SealingOutput}). The bytes are the ones
     * {@link #sealSlow} writes (OsloEnvelopeTest compares them).
     *
     * @return the body, or null when the inner text holds a byte outside 0x20..0x7e
     */
    byte[] sealPrintable(Map<String, Object> message) {
        SealingOutput out = new SealingOutput(SEAL_HEAD, SEAL_TAIL, 256);
        json.write(message, out);
        return out.body();
    }

    /** The envelope the plain way: the inner message as a string member of the outer object. */
    byte[] sealSlow(Map<String, Object> message) {
        return sealAround(json.writeString(message));
    }

    private byte[] sealAround(String innerText) {
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put(VERSION_KEY, VERSION);
        outer.put(MESSAGE_KEY, innerText);
        return json.write(outer);
    }

    /**
     * @return the body of {@code message} without envelope (format 1.0)
     * @throws MessageTooLargeException when it is over {@code warren_max_message_bytes}
     */
    public byte[] bare(Map<String, Object> message) {
        return bare(message, "the message");
    }

    /**
     * @param what the message in words, for the error
     * @return the body of {@code message} without envelope (format 1.0)
     * @throws MessageTooLargeException when it is over {@code warren_max_message_bytes}
     */
    public byte[] bare(Map<String, Object> message, String what) {
        return withinLimit(json.write(message), what);
    }

    /**
     * Reads a delivered message: size first, then content type, compression, JSON, envelope.
     *
     * @return the inner message, keys in their order on the wire
     * @throws WireException naming what was wrong
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> open(byte[] body, AMQP.BasicProperties properties) throws WireException {
        if (body.length > maxBytes) {
            throw new WireException(WireException.Kind.TOO_LARGE, "body of " + body.length
                    + " bytes is over warren_max_message_bytes (" + maxBytes + ")");
        }
        String contentType = properties == null ? null : properties.getContentType();
        if (!"application/json".equals(contentType)) {
            throw new WireException(WireException.Kind.BAD_ENVELOPE, "content_type is "
                    + (contentType == null ? "missing" : "'" + contentType + "'") + ", oslo sends application/json");
        }
        byte[] text = inflate(body, properties);
        Map<String, Object> sealed = json.readEnveloped(text, VERSION_KEY, VERSION, MESSAGE_KEY);
        if (sealed != null) {
            return sealed;
        }
        Object outer = json.read(text);
        if (!(outer instanceof Map)) {
            throw new WireException(WireException.Kind.WRONG_TYPE, "body is a JSON "
                    + JacksonCodec.describe(outer) + ", expected an object");
        }
        Map<String, Object> map = (Map<String, Object>) outer;
        if (!(map.containsKey(VERSION_KEY) && map.containsKey(MESSAGE_KEY))) {
            return map; // format 1.0: the object is the message
        }
        Object version = map.get(VERSION_KEY);
        if (!(version instanceof String v) || !compatible(v)) {
            throw new WireException(WireException.Kind.UNSUPPORTED_VERSION, "oslo.version "
                    + JacksonCodec.describe(version) + " is not compatible with " + VERSION);
        }
        Object inner = map.get(MESSAGE_KEY);
        if (!(inner instanceof String s)) {
            throw new WireException(WireException.Kind.WRONG_TYPE, "oslo.message is "
                    + JacksonCodec.describe(inner) + ", expected a string holding JSON");
        }
        Object message = json.read(s);
        if (!(message instanceof Map)) {
            throw new WireException(WireException.Kind.WRONG_TYPE, "oslo.message holds "
                    + JacksonCodec.describe(message) + ", expected a JSON object");
        }
        return (Map<String, Object>) message;
    }

    /**
     * The envelope version of a body {@link #open} accepted. It reads the outer object again, so
     * only what asks pays for it (an endpoint declaring {@code IncomingRequest}); open stays as fast.
     *
     * @return the {@code oslo.version} written, or {@code 1.0} for a message without envelope
     */
    public String versionOf(byte[] body, AMQP.BasicProperties properties) {
        try {
            Object outer = json.read(inflate(body, properties));
            return outer instanceof Map<?, ?> m && m.containsKey(VERSION_KEY) && m.containsKey(MESSAGE_KEY)
                    ? String.valueOf(m.get(VERSION_KEY)) : "1.0";
        } catch (WireException e) {
            return null; // not after a successful open
        }
    }

    /** Same major version, minor not newer: oslo's rule, so only "2.0" in practice. */
    private static boolean compatible(String version) {
        String[] parts = version.split("\\.");
        try {
            return parts.length == 2 && Integer.parseInt(parts[0]) == 2 && Integer.parseInt(parts[1]) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private byte[] inflate(byte[] body, AMQP.BasicProperties properties) throws WireException {
        Map<String, Object> headers = properties.getHeaders();
        Object compression = headers == null ? null : headers.get("compression");
        if (compression == null) {
            return body;
        }
        String kind = compression.toString();
        if (!kind.equals("application/x-gzip")) {
            throw new WireException(WireException.Kind.BAD_COMPRESSION, "compression '" + kind
                    + "' is not supported (Warren reads application/x-gzip, which kombu writes as zlib)");
        }
        // kombu's "gzip" is a zlib stream. Inflate with a cap, so a small bomb cannot fill the heap.
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(body);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, body.length * 4));
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new WireException(WireException.Kind.BAD_COMPRESSION, "truncated zlib body");
                }
                out.write(buffer, 0, n);
                if (out.size() > maxBytes) {
                    throw new WireException(WireException.Kind.TOO_LARGE, "inflated body is over "
                            + "warren_max_message_bytes (" + maxBytes + ")");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new WireException(WireException.Kind.BAD_COMPRESSION, "not a zlib stream: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }
}
