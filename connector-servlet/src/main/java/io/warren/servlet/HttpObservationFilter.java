package io.warren.servlet;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.Propagator;
import io.micrometer.observation.transport.ReceiverContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * One observation per HTTP request served, current while the webapp serves it, so the RPC calls,
 * casts and notifications made meanwhile are its children: with a tracer bridge in the registry,
 * the HTTP request's span is the parent of Warren's. The request's own {@code traceparent} header
 * (a browser's or an upstream proxy's) is its parent in turn.
 *
 * <p>When an observation is already current (the application's own HTTP observation filter ran
 * first, e.g. Spring's {@code ServerHttpObservationFilter}), this one steps aside and Warren's
 * spans become children of that one. Only the first dispatch of a request is observed.
 */
final class HttpObservationFilter implements Filter {
    static final String NAME = "http.server.requests";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");
    private static final Propagator.Getter<HttpServletRequest> HEADERS = (request, name) ->
            request == null ? null : request.getHeader(name);

    private final ObservationRegistry registry;

    HttpObservationFilter(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    @SuppressWarnings("try") // the scope is what makes this the current observation
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)
                || request.getDispatcherType() != DispatcherType.REQUEST || registry.getCurrentObservation() != null) {
            chain.doFilter(request, response);
            return;
        }
        // OpenTelemetry's HTTP conventions: the method, or _OTHER for a word a client made up.
        String method = METHODS.contains(http.getMethod().toUpperCase(Locale.ROOT))
                ? http.getMethod().toUpperCase(Locale.ROOT) : "_OTHER";
        Observation observation = Observation.createNotStarted(NAME, () -> {
                    ReceiverContext<HttpServletRequest> c = new ReceiverContext<>(HEADERS, Kind.SERVER);
                    c.setCarrier(http);
                    return c;
                }, registry)
                .contextualName(method)
                .lowCardinalityKeyValue("http.request.method", method)
                .highCardinalityKeyValue("url.path", http.getRequestURI())
                .start();
        Throwable failed = null;
        try (Observation.Scope scope = observation.openScope()) {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failed = e;
            observation.error(e);
            throw e;
        } finally {
            // An exception that escapes the webapp becomes a 500 in the container.
            int status = failed != null ? 500 : httpResponse.getStatus();
            observation.lowCardinalityKeyValue("http.response.status_code", Integer.toString(status));
            observation.lowCardinalityKeyValue("error.type",
                    failed != null ? failed.getClass().getSimpleName() : status >= 500 ? Integer.toString(status) : "none");
            observation.stop();
        }
    }
}
