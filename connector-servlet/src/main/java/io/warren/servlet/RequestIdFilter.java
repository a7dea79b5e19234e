package io.warren.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Request correlation the oslo.context way: takes the id from {@code X-OpenStack-Request-ID} (or
 * {@code X-Request-Id}) when it is well-formed, otherwise makes {@code req-<uuid>}; every RPC call
 * made while serving the request carries it as {@code request_id} in its context, and the response
 * returns it in {@code X-OpenStack-Request-ID}.
 *
 * <p>The id lives in a ThreadLocal owned by this filter instance (so by one webapp) and is removed
 * in {@code finally}: a container thread never keeps it past the request.
 */
final class RequestIdFilter implements Filter {
    static final String OPENSTACK_HEADER = "X-OpenStack-Request-ID";
    static final String GENERIC_HEADER = "X-Request-Id";
    private static final Pattern ACCEPTED = Pattern.compile("req-[0-9a-fA-F-]{36}|[A-Za-z0-9._-]{1,64}");

    private final ThreadLocal<String> current = new ThreadLocal<>();

    /** @return the context entries for RPC calls on the calling thread: request_id when serving a request */
    Supplier<Map<String, Object>> context() {
        return () -> {
            String id = current.get();
            return id == null ? Map.of() : Map.of("request_id", id);
        };
    }

    /** @return the id of the request the calling thread serves, or null */
    String currentId() {
        return current.get();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = null;
        if (request instanceof HttpServletRequest http) {
            id = accepted(http.getHeader(OPENSTACK_HEADER));
            if (id == null) {
                id = accepted(http.getHeader(GENERIC_HEADER));
            }
        }
        if (id == null) {
            id = "req-" + UUID.randomUUID();
        }
        if (response instanceof HttpServletResponse http) {
            http.setHeader(OPENSTACK_HEADER, id);
        }
        current.set(id);
        try {
            chain.doFilter(request, response);
        } finally {
            current.remove();
        }
    }

    /** @return the header value when it is a sane id (it ends up in logs and messages), else null */
    static String accepted(String header) {
        return header != null && ACCEPTED.matcher(header).matches() ? header : null;
    }
}
