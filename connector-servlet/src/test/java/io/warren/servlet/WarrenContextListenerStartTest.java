package io.warren.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.Connector;
import io.warren.ConnectorState;
import io.warren.Health;
import io.warren.NotificationEndpoint;
import io.warren.NotificationListener;
import io.warren.Target;
import io.warren.jmx.ConnectorJmx;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The listener in a stand-in ServletContext, without a broker (a port nothing listens on): the
 * names two versions of one webapp get, the servers an application's own listener makes while a
 * lazy start connects, and the one ERROR line a failed deployment leaves.
 */
class WarrenContextListenerStartTest {
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    /** Tomcat's webapp class loader as Warren sees it: a public {@code getWebappName()}, the context's base name. */
    public static final class TomcatLikeLoader extends ClassLoader {
        private final String baseName;

        TomcatLikeLoader(String baseName) {
            super(WarrenContextListenerStartTest.class.getClassLoader());
            this.baseName = baseName;
        }

        public String getWebappName() {
            return baseName;
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A ServletContext with init parameters, attributes, a class loader and no-op registrations. */
    private static ServletContext context(String path, ClassLoader loader, Map<String, String> params) {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        return (ServletContext) Proxy.newProxyInstance(WarrenContextListenerStartTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getContextPath" -> path;
                    case "getClassLoader" -> loader;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "removeAttribute" -> attributes.remove((String) args[0]);
                    case "addFilter", "addServlet" -> registration(method.getReturnType());
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Object registration(Class<?> type) {
        return Proxy.newProxyInstance(WarrenContextListenerStartTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false
                        : method.getReturnType() == java.util.Set.class ? java.util.Set.of() : null);
    }

    private static Map<String, String> params(int port, String... more) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("warren.url", "rabbit://app:listener-s3cret@127.0.0.1:" + port + "/");
        p.put("warren.name", "servers-api");
        p.put("warren.connection_timeout_ms", "1000");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private static Connector connectorOf(ServletContext context) {
        return (Connector) context.getAttribute(WarrenContextListener.CONNECTOR_ATTRIBUTE);
    }

    @Test
    void theVersionComesFromTomcatsBaseName() {
        assertThat(WebappVersion.fromBaseName("app##001")).isEqualTo("001");
        assertThat(WebappVersion.fromBaseName("ROOT##2.1")).isEqualTo("2.1");
        assertThat(WebappVersion.fromBaseName("shop#api")).isEmpty();
        assertThat(WebappVersion.fromBaseName(null)).isEmpty();
        assertThat(WebappVersion.of(context("/app", new TomcatLikeLoader("app##001"), Map.of()))).isEqualTo("001");
        // Any other loader (Jetty's, a test's): no version.
        assertThat(WebappVersion.of(context("/app", getClass().getClassLoader(), Map.of()))).isEmpty();
    }

    @Test
    void twoVersionsAtOneContextPathRunSideBySideAndUndeployingTheOldLeavesTheNew() throws Exception {
        int port = closedPort();
        ServletContext v1 = context("/app", new TomcatLikeLoader("app##001"), params(port, "warren.startup", "lazy"));
        ServletContext v2 = context("/app", new TomcatLikeLoader("app##002"), params(port, "warren.startup", "lazy"));
        WarrenContextListener first = new WarrenContextListener();
        WarrenContextListener second = new WarrenContextListener();
        ObjectName name1 = ConnectorJmx.objectName("/app", "001", "servers-api");
        ObjectName name2 = ConnectorJmx.objectName("/app", "002", "servers-api");
        first.contextInitialized(new ServletContextEvent(v1));
        try {
            second.contextInitialized(new ServletContextEvent(v2));
            try {
                assertThat(jmx.isRegistered(name1)).isTrue();
                assertThat(jmx.isRegistered(name2)).isTrue();
                assertThat(name2.toString()).isEqualTo("io.warren:type=Connector,context=\"/app\",version=\"002\",name=\"servers-api\"");
                assertThat(connectorOf(v1)).isNotSameAs(connectorOf(v2));

                first.contextDestroyed(new ServletContextEvent(v1));
                assertThat(jmx.isRegistered(name1)).isFalse();
                assertThat(connectorOf(v1)).isNull();
                assertThat(jmx.isRegistered(name2)).isTrue();
                assertThat(connectorOf(v2).state()).isEqualTo(ConnectorState.STARTING);
            } finally {
                second.contextDestroyed(new ServletContextEvent(v2));
            }
        } finally {
            first.contextDestroyed(new ServletContextEvent(v1));
        }
        assertThat(jmx.isRegistered(name2)).isFalse();
    }

    @Test
    void theSameNameTwiceWithoutAVersionGetsAnInstanceKeyInsteadOfFailing() throws Exception {
        int port = closedPort();
        // Two virtual hosts, each with /app, or a container that gives no version.
        ServletContext a = context("/app", getClass().getClassLoader(), params(port, "warren.startup", "lazy"));
        ServletContext b = context("/app", getClass().getClassLoader(), params(port, "warren.startup", "lazy"));
        WarrenContextListener la = new WarrenContextListener();
        WarrenContextListener lb = new WarrenContextListener();
        try (LogLines log = LogLines.capture()) {
            la.contextInitialized(new ServletContextEvent(a));
            lb.contextInitialized(new ServletContextEvent(b));
            assertThat(jmx.isRegistered(new ObjectName("io.warren:type=Connector,context=\"/app\",name=\"servers-api\""))).isTrue();
            assertThat(jmx.isRegistered(new ObjectName("io.warren:type=Connector,context=\"/app\",instance=2,name=\"servers-api\""))).isTrue();
            assertThat(log.matching("WARN")).anySatisfy(l -> assertThat(l).contains("is taken in JMX").contains("instance=2"));
        } finally {
            lb.contextDestroyed(new ServletContextEvent(b));
            la.contextDestroyed(new ServletContextEvent(a));
        }
        assertThat(jmx.queryNames(new ObjectName("io.warren:type=Connector,context=\"/app\",*"), null)).isEmpty();
    }

    @Test
    void withLazyStartTheApplicationsOwnListenerSubscribesWhileTheConnectorConnects() throws Exception {
        ServletContext context = context("/events", getClass().getClassLoader(),
                params(closedPort(), "warren.startup", "lazy"));
        WarrenContextListener warren = new WarrenContextListener();
        warren.contextInitialized(new ServletContextEvent(context));
        try {
            // What the example's EventsListener does right after Warren's listener.
            Connector connector = connectorOf(context);
            assertThat(connector.state()).isEqualTo(ConnectorState.STARTING);
            NotificationListener events = connector.notificationListener("events", false, new NotificationEndpoint() { });
            assertThat(events.isRunning()).isFalse();
            assertThat(connector.health().status()).isEqualTo(Health.Status.DOWN);
            assertThatThrownBy(() -> connector.rpcClient().cast(Target.topic("events-rpc"), "echo", Map.of("text", "x")))
                    .hasMessageContaining("not connected yet");
        } finally {
            warren.contextDestroyed(new ServletContextEvent(context));
        }
        assertThat(connectorOf(context)).isNull();
    }

    @Test
    void aDeclaredEndpointWithoutParameterNamesFailsBeforeConnectingWithOneErrorLineNamingTheFix() throws Exception {
        // Eager start against a port nothing listens on: were the endpoint checked after
        // connecting, the failure would be the refused connection instead.
        Map<String, String> params = new HashMap<>(params(closedPort()));
        params.put("warren.rpc.servers", "flags = java.util.concurrent.atomic.AtomicBoolean");
        ServletContext context = context("/shop", getClass().getClassLoader(), params);
        WarrenContextListener listener = new WarrenContextListener();
        try (LogLines log = LogLines.capture()) {
            assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(context)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("warren.rpc.servers (context-param warren.rpc.servers): topic 'flags':")
                    .hasMessageContaining("has no name");
            assertThat(log.matching("ERROR")).filteredOn(l -> l.contains("WarrenContextListener")).singleElement()
                    .asString()
                    .contains("Warren in '/shop': the deployment fails: warren.rpc.servers")
                    .contains("java.util.concurrent.atomic.AtomicBoolean.")
                    .contains("compile with -parameters")
                    .doesNotContain("listener-s3cret");
            assertThat(log.matching("refused")).isEmpty();
            assertThat(log.matching("starting")).isEmpty();
        }
        assertThat(connectorOf(context)).isNull();
        assertThat(jmx.queryNames(new ObjectName("io.warren:type=Connector,context=\"/shop\",*"), null)).isEmpty();
    }

    @Test
    void anEagerStartThatCannotConnectSaysWhereTheBrokerCameFromAndHowToDeployWithoutIt() throws Exception {
        ServletContext context = context("/shop", getClass().getClassLoader(), params(closedPort()));
        WarrenContextListener listener = new WarrenContextListener();
        try (LogLines log = LogLines.capture()) {
            assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(context)))
                    .hasMessageContaining("servers-api - could not start");
            assertThat(log.matching("the deployment fails")).singleElement().asString()
                    .contains("ERROR")
                    .contains("Warren in '/shop': the deployment fails: servers-api - could not start")
                    .contains("broker from context-param warren.url")
                    .contains("warren.startup=lazy")
                    .doesNotContain("listener-s3cret");
        }
        assertThat(connectorOf(context)).isNull();
    }
}
