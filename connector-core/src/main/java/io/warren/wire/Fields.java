package io.warren.wire;

import java.util.Map;

/** Typed reads of an oslo message's members, failing with the member's name. */
final class Fields {
    private Fields() {
    }

    static String requiredString(Map<String, Object> m, String key) throws WireException {
        Object v = m.get(key);
        if (v == null) {
            throw new WireException(WireException.Kind.MISSING_FIELD, "member '" + key + "' is missing");
        }
        if (!(v instanceof String s)) {
            throw new WireException(WireException.Kind.WRONG_TYPE, "member '" + key + "' is "
                    + JacksonCodec.describe(v) + ", expected a string");
        }
        return s;
    }

    static String optionalString(Map<String, Object> m, String key) throws WireException {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new WireException(WireException.Kind.WRONG_TYPE, "member '" + key + "' is "
                    + JacksonCodec.describe(v) + ", expected a string");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> requiredObject(Map<String, Object> m, String key) throws WireException {
        Object v = m.get(key);
        if (v == null) {
            throw new WireException(WireException.Kind.MISSING_FIELD, "member '" + key + "' is missing");
        }
        if (!(v instanceof Map)) {
            throw new WireException(WireException.Kind.WRONG_TYPE, "member '" + key + "' is "
                    + JacksonCodec.describe(v) + ", expected an object");
        }
        return (Map<String, Object>) v;
    }
}
