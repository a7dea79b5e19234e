package io.warren.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The JSON codec, on Jackson, set up to read what Python's {@code json} module writes: NaN and
 * Infinity, integers of any size (as {@code BigInteger} beyond 64 bits), {@code \\uXXXX} escapes;
 * and to write what it reads: non-ASCII escaped, NaN and Infinity as bare tokens.
 */
public final class JacksonCodec implements JsonCodec {
    /** Buffers kept per mapper: more than the threads that use one at a time on a busy server. */
    private static final int BUFFER_SLOTS = 16;
    private final ObjectMapper mapper = JsonMapper.builder(ownedBufferFactory())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * A JSON factory whose buffers belong to it, not to the threads that use it. Jackson's default
     * keeps them in a thread-local behind a SoftReference: on a container's request threads that
     * pins every undeployed webapp's class loader until the heap runs short (50 of 50 in
     * WebappOwnershipIT), because the JVM clears soft references only under memory pressure.
     * The pool is {@link BufferSlots}, bounded and lock-free; Jackson's {@code ConcurrentDequePool}
     * allocated a node per release and was 6.5% of the samples of an 8-caller RPC profile.
     */
    public static JsonFactory ownedBufferFactory() {
        return JsonFactory.builder().recyclerPool(new BufferSlots(BUFFER_SLOTS)).build();
    }

    @Override
    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void write(Object value, java.io.OutputStream out) {
        try {
            mapper.writeValue(out, value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> readEnveloped(byte[] utf8, String versionKey, String version, String messageKey) {
        try (JsonParser outer = mapper.createParser(utf8)) {
            if (outer.nextToken() != JsonToken.START_OBJECT
                    || outer.nextToken() != JsonToken.FIELD_NAME || !versionKey.equals(outer.currentName())
                    || outer.nextToken() != JsonToken.VALUE_STRING || !version.equals(outer.getText())
                    || outer.nextToken() != JsonToken.FIELD_NAME || !messageKey.equals(outer.currentName())
                    || outer.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            Object inner;
            // The outer string's characters, unescaped in the parser's own buffer, read in place.
            try (JsonParser text = mapper.createParser(outer.getTextCharacters(), outer.getTextOffset(), outer.getTextLength())) {
                inner = mapper.readValue(text, Object.class);
            }
            // Any further member (or a repeated one) is for the general way to judge.
            return outer.nextToken() == JsonToken.END_OBJECT && inner instanceof Map ? (Map<String, Object>) inner : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String writeString(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Object read(byte[] utf8) throws WireException {
        try {
            return mapper.readValue(utf8, Object.class);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public Object read(String text) throws WireException {
        try {
            return mapper.readValue(text, Object.class);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    @Override
    public <T> T convert(Object value, Type type) {
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        try {
            return mapper.convertValue(value, javaType);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected " + javaType.toCanonical() + ", got "
                    + describe(value), e);
        }
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return printable(text) + " (" + value.getClass().getSimpleName() + ")";
    }

    /**
     * Text from the wire made safe for one log line: control characters (a newline would let a
     * sender forge log lines) become {@code \\uXXXX} escapes.
     */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static WireException malformed(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        String where = e instanceof JsonProcessingException j && j.getLocation() != null
                ? " at line " + j.getLocation().getLineNr() + " column " + j.getLocation().getColumnNr() : "";
        return new WireException(WireException.Kind.MALFORMED_JSON, "not JSON" + where + ": " + printable(m));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
