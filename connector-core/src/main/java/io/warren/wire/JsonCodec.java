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
