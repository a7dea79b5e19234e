package io.warren.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.Connector;
import io.warren.ConnectorState;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * What the listener does when it is turned off and when a webapp registers it twice. No broker:
 * the connector that is made starts lazily against a port nobody listens on.
 */
class WarrenContextListenerTest {

    @Test
    void turnedOffItMakesNothingAndTheAccessorSaysWhy() {
        ServletContext ctx = ServletSettingsTest.context(Map.of("warren.enabled", "false",
                "warren.url", "rabbit://guest:guest@127.0.0.1:1/"));
        WarrenContextListener listener = new WarrenContextListener();

        listener.contextInitialized(new ServletContextEvent(ctx));

        // No addServlet, addFilter or connector: the fake context would have refused the first two.
        assertThat(ctx.getAttribute(WarrenContextListener.CONNECTOR_ATTRIBUTE)).isNull();
        assertThatThrownBy(() -> Warren.connector(ctx)).isInstanceOf(IllegalStateException.class)
                .hasMessage("no Warren connector in ServletContext '/shop': turned off by warren.enabled=false"
                        + " (context-param warren.enabled)");

        listener.contextDestroyed(new ServletContextEvent(ctx));
        assertThat(java.util.Collections.list(ctx.getAttributeNames())).isEmpty();
    }

    @Test
    void enabledIsABooleanLikeTheOthersAndNamesItsSource() {
        ServletContext ctx = ServletSettingsTest.context(Map.of("warren.enabled", "nope"));

        assertThatThrownBy(() -> new WarrenContextListener().contextInitialized(new ServletContextEvent(ctx)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Warren in '/shop': setting warren.enabled (context-param warren.enabled): got 'nope',"
                        + " expected true or false (also yes/no, on/off, 1/0)");
        // A failed start leaves the context free for a later one.
        assertThat(java.util.Collections.list(ctx.getAttributeNames())).isEmpty();
    }

    @Test
    void aSecondInstanceInOneWebappStandsAsideWithOneWarning() throws Exception {
        String path = "/dup-" + UUID.randomUUID().toString().substring(0, 8);
        ServletContext ctx = ServletSettingsTest.context(path, Map.of(
                "warren.url", "rabbit://guest:guest@127.0.0.1:1/",
                "warren.startup", "lazy",
                "warren.request_id.enabled", "false",
                "warren.tracing.http.enabled", "false"));
        WarrenContextListener first = new WarrenContextListener();
        WarrenContextListener second = new WarrenContextListener() {
            // a subclass, as an app's own web.xml line might name beside the fragment's
        };
        first.contextInitialized(new ServletContextEvent(ctx));
        Connector connector = Warren.connector(ctx);
        assertThat(connectorMBeans(path)).hasSize(1);

        String err = stderrOf(() -> second.contextInitialized(new ServletContextEvent(ctx)));

        assertThat(err.lines().filter(l -> l.contains("a second WarrenContextListener")).toList())
                .singleElement().asString()
                .contains("Warren in '" + path + "'")
                .contains("makes nothing; the first (io.warren.servlet.WarrenContextListener) owns the connector");
        assertThat(Warren.connector(ctx)).isSameAs(connector);
        assertThat(connectorMBeans(path)).hasSize(1);

        // Destroyed in reverse order: the second owns nothing, the first releases everything.
        second.contextDestroyed(new ServletContextEvent(ctx));
        assertThat(Warren.connector(ctx)).isSameAs(connector);
        assertThat(connector.state()).isNotIn(ConnectorState.STOPPING, ConnectorState.STOPPED);
        first.contextDestroyed(new ServletContextEvent(ctx));
        assertThat(connector.state()).isEqualTo(ConnectorState.STOPPED);
        assertThat(connectorMBeans(path)).isEmpty();
        assertThat(java.util.Collections.list(ctx.getAttributeNames())).isEmpty();
    }

    private static Set<ObjectName> connectorMBeans(String contextPath) throws Exception {
        Set<ObjectName> all = ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("io.warren:*"), null);
        all.removeIf(n -> !n.toString().contains(contextPath));
        return all;
    }

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
