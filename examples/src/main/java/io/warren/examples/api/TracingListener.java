package io.warren.examples.api;

import io.warren.examples.tracing.OtelTracing;
import io.warren.servlet.WarrenContextListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Listed in web.xml before Warren's listener: with the {@code OTEL_*} environment set, hands
 * Warren an observation registry (context attribute {@code io.warren.observationRegistry}), so each
 * HTTP request, the RPC calls it makes and the notifications that come back are one trace.
 * Destroyed after Warren's listener, so Warren's last spans are exported too.
 */
public final class TracingListener implements ServletContextListener {
    private OtelTracing tracing;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        tracing = OtelTracing.fromEnvironment("servers-api");
        if (tracing != null) {
            event.getServletContext().setAttribute(WarrenContextListener.OBSERVATION_REGISTRY_ATTRIBUTE, tracing.registry());
            event.getServletContext().log("tracing: spans exported as the OTEL_* environment says");
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (tracing != null) {
            event.getServletContext().removeAttribute(WarrenContextListener.OBSERVATION_REGISTRY_ATTRIBUTE);
            tracing.close();
            tracing = null;
        }
    }
}
