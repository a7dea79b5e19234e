package io.warren;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request context of an RPC request or notification (oslo.context's dictionary: user_id,
 * project_id, request_id, ...). An endpoint method receives it by declaring a parameter of this
 * type. On RPC servers it also holds oslo's {@code client_timeout}.
 */
public final class RequestContext {
    private final Map<String, Object> values;

    /** @param values the context entries */
    public RequestContext(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * @param key an entry's name, e.g. {@code project_id}
     * @return its value, or null
     */
    public Object get(String key) {
        return values.get(key);
    }

    /** @return the {@code request_id} entry, or null */
    public String requestId() {
        Object v = values.get("request_id");
        return v == null ? null : v.toString();
    }

    /** @return every entry */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        // Contexts carry tokens: keys only.
        return "RequestContext" + values.keySet();
    }
}
