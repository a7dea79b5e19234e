package io.warren;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request context of an RPC request or notification (oslo.context's dictionary: user_id,
 * project_id, request_id, ...), every entry as it arrived. An endpoint method receives it by
 * declaring a parameter of this type. On RPC servers it also holds oslo's {@code client_timeout}.
 *
 * <p>oslo.context names some entries two ways: {@code RequestContext.to_dict()}, what services
 * send and what oslo.messaging 15 and later send in notifications (its {@code redacted_copy()}),
 * says {@code user}, {@code project_id}, {@code domain}, {@code user_domain},
 * {@code project_domain}; a hand-made dictionary often says {@code user_id}, {@code tenant},
 * {@code domain_id}. The accessors below find an entry under either name.
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

    /** @return the {@code global_request_id} entry, or null */
    public String globalRequestId() {
        return text("global_request_id");
    }

    /** @return the user's id: {@code user_id}, else {@code user} (oslo.context's to_dict), or null */
    public String userId() {
        return text("user_id", "user");
    }

    /** @return the project's id: {@code project_id}, else {@code project}, {@code tenant_id}, {@code tenant}, or null */
    public String projectId() {
        return text("project_id", "project", "tenant_id", "tenant");
    }

    /** @return the domain's id: {@code domain_id}, else {@code domain}, or null */
    public String domainId() {
        return text("domain_id", "domain");
    }

    /** @return the user's domain id: {@code user_domain_id}, else {@code user_domain}, or null */
    public String userDomainId() {
        return text("user_domain_id", "user_domain");
    }

    /** @return the project's domain id: {@code project_domain_id}, else {@code project_domain}, or null */
    public String projectDomainId() {
        return text("project_domain_id", "project_domain");
    }

    /** @return the user's name: {@code user_name}, or null (oslo's to_dict leaves names out) */
    public String userName() {
        return text("user_name");
    }

    /** @return the project's name: {@code project_name}, else {@code tenant_name}, or null */
    public String projectName() {
        return text("project_name", "tenant_name");
    }

    /** @return the {@code roles} entry as strings (a JSON list, or comma-separated text); empty when absent */
    public List<String> roles() {
        Object v = values.get("roles");
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            for (Object role : c) {
                out.add(String.valueOf(role));
            }
        } else if (v != null && !v.toString().isBlank()) {
            for (String role : v.toString().split(",")) {
                out.add(role.trim());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** @return whether {@code is_admin} is true (a JSON true, or the text "true") */
    public boolean isAdmin() {
        Object v = values.get("is_admin");
        return Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v));
    }

    /** The first of {@code keys} with a non-null value, as text. */
    private String text(String... keys) {
        for (String key : keys) {
            Object v = values.get(key);
            if (v != null) {
                return v.toString();
            }
        }
        return null;
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
