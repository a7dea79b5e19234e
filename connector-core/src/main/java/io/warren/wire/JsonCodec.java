package io.warren.wire;

/**
 * Turns JSON text into plain Java values and back: objects are {@code Map<String, Object>} (key
 * order kept), arrays {@code List<Object>}, numbers {@code Integer}/{@code Long}/
 * {@code BigInteger}/{@code Double}, plus {@code String}, {@code Boolean} and {@code null}. Java
 * serialization is never involved.
 */
public interface JsonCodec {
    /** @return the value as UTF-8 JSON text */
    byte[] write(Object value);

    /**
     * Writes the value as UTF-8 JSON text to {@code out}, without a copy of its own.
     *
     * @throws IllegalArgumentException when the value cannot be written as JSON
     */
    default void write(Object value, java.io.OutputStream out) {
        try {
            out.write(write(value));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Reads a body of exactly {@code {"<versionKey>": "<version>", "<messageKey>": "<object>"}}, in
     * that order, in one pass: the inner object is parsed from the outer string's characters, never
     * a String of its own.
     *
     * @return the inner object, or null when the body is of any other shape or content (the caller
     *         then reads it the general way, which names what is wrong)
     */
    default java.util.Map<String, Object> readEnveloped(byte[] utf8, String versionKey, String version, String messageKey) {
        return null;
    }

    /** @return the value as a JSON string */
    String writeString(Object value);

    /** @throws WireException of kind MALFORMED_JSON naming where the text broke */
    Object read(byte[] utf8) throws WireException;

    /** @throws WireException of kind MALFORMED_JSON naming where the text broke */
    Object read(String text) throws WireException;

    /**
     * Converts a plain JSON value to a Java type (an endpoint's parameter, a result type).
     *
     * @throws IllegalArgumentException naming the expected type and the value found
     */
    <T> T convert(Object value, java.lang.reflect.Type type);
}
