package io.warren.it.servlet.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warren.servlet.WarrenContextListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Map;

/**
 * The application's own listener, listed before Warren's: it hands Warren a Micrometer registry,
 * and, when the test asks (a JDK {@code Map} in the context attribute {@code it.meters}), shows
 * the test that registry so it can count the meters left after undeploy.
 */
public class MetricsListener implements ServletContextListener {
    @Override
    @SuppressWarnings("unchecked")
    public void contextInitialized(ServletContextEvent event) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        event.getServletContext().setAttribute(WarrenContextListener.METER_REGISTRY_ATTRIBUTE, registry);
        if (event.getServletContext().getAttribute("it.meters") instanceof Map<?, ?> sink) {
            ((Map<String, Object>) sink).put("registry", registry);
        }
    }
}
