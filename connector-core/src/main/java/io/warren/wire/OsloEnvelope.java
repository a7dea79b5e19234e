package io.warren.wire;

import com.rabbitmq.client.AMQP;
import java.io.ByteArrayOutputStream;
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
        return digits(u.getMostSignificantBits()) + digits(u.getLeastSignificantBits());
    }

    private static String digits(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(16 - h.length()) + h;
    }

    /** @return the enveloped body of {@code message} */
    public byte[] seal(Map<String, Object> message) {
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put(VERSION_KEY, VERSION);
        outer.put(MESSAGE_KEY, json.writeString(message));
        return json.write(outer);
    }

    /** @return the body of {@code message} without envelope (format 1.0) */
    public byte[] bare(Map<String, Object> message) {
        return json.write(message);
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
