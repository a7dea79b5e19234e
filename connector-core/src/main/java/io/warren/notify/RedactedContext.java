package io.warren.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The context a notification carries, as oslo.messaging 18 sends it: the
 * {@code to_dict()} of oslo.context's {@code RequestContext.redacted_copy()} (oslo.context 6.4).
 * That copy keeps the ids, roles, request ids, system scope and is_admin, and resets the rest:
 * no token ({@code auth_token} null), read_only and show_deleted false, no resource_uuid,
 * is_admin_project true, and a {@code user_identity} made of the ids. A Java caller may name the
 * ids either way ({@code user_id} or {@code user}, ...); everything else it passes is left out.
 * An empty context stays empty (oslo 18 sends {@code {}} for a plain dictionary).
 */
final class RedactedContext {
    private RedactedContext() {
    }

    /** @return a new, mutable map in oslo.context 6.4's to_dict order */
    static Map<String, Object> of(Map<String, ?> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (given == null || given.isEmpty()) {
            return out;
        }
        Object user = first(given, "user_id", "user");
        Object project = first(given, "project_id", "project", "tenant_id", "tenant");
        Object domain = first(given, "domain_id", "domain");
        Object userDomain = first(given, "user_domain_id", "user_domain");
        Object projectDomain = first(given, "project_domain_id", "project_domain");
        Object requestId = given.get("request_id");
        out.put("user", user);
        out.put("project_id", project);
        out.put("system_scope", given.get("system_scope"));
        out.put("project", project);
        out.put("domain", domain);
        out.put("user_domain", userDomain);
        out.put("project_domain", projectDomain);
        out.put("is_admin", given.get("is_admin") == null ? Boolean.FALSE : given.get("is_admin"));
        out.put("read_only", Boolean.FALSE);
        out.put("show_deleted", Boolean.FALSE);
        out.put("auth_token", null);
        // oslo.context makes a request id when the copy has none.
        out.put("request_id", requestId == null || requestId.toString().isEmpty() ? "req-" + UUID.randomUUID() : requestId);
        out.put("global_request_id", given.get("global_request_id"));
        out.put("resource_uuid", null);
        out.put("roles", given.get("roles") == null ? new ArrayList<>() : given.get("roles"));
        out.put("user_identity", identity(user) + " " + identity(project) + " " + identity(domain) + " "
                + identity(userDomain) + " " + identity(projectDomain));
        out.put("is_admin_project", Boolean.TRUE);
        return out;
    }

    /** The keys of that form, for tests and documentation. */
    static final List<String> KEYS = List.copyOf(of(Map.of("request_id", "r")).keySet());

    private static Object first(Map<String, ?> m, String... keys) {
        for (String key : keys) {
            Object v = m.get(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** oslo.context's user_idt_format: a missing (or empty) part is "-". */
    private static String identity(Object part) {
        return part == null || part.toString().isEmpty() ? "-" : part.toString();
    }
}
