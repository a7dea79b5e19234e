package io.warren.it.servlet;

import io.warren.it.servlet.app.CallServlet;
import io.warren.it.servlet.app.EchoEndpoint;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An embedded Jetty 12 that deploys real webapps the way a user's would be: exploded, with
 * Warren's jars in WEB-INF/lib (the demo WAR's, so exactly what ships, web-fragment.xml included),
 * the test app's classes ({@link io.warren.it.servlet.app}) in WEB-INF/classes and a web.xml with
 * Warren's listener line (or, as {@link WebXml} says, without it). Each webapp gets its own class
 * loader.
 *
 * <p>The Jakarta EE environment is {@value #DEFAULT_ENVIRONMENT} (Servlet 6.0) unless the system
 * property {@code warren.it.jetty} says {@code ee11} (Servlet 6.1): src-it's failsafe execution
 * {@code jetty-ee11} runs some of these tests again with Jetty's ee11 jars and the 6.1 API in place
 * of ee10's and 6.0. Nothing here is compiled against either: the webapp is Jetty's core
 * {@link ContextHandler}, made by the environment's {@code WebAppContext}.
 */
final class JettyWebapps implements AutoCloseable {
    /** Small, so a test can block every request thread. */
    static final int MAX_THREADS = 16;
    static final String DEFAULT_ENVIRONMENT = "ee10";
    /** The Jakarta EE environment of the webapps: {@code ee10} or {@code ee11}. */
    static final String ENVIRONMENT = System.getProperty("warren.it.jetty", DEFAULT_ENVIRONMENT);

    /** How the test webapp's web.xml brings in Warren's listener. */
    enum WebXml {
        /** Warren's listener line in web.xml, beside the fragment in the jar: one listener all the same. */
        LISTENER_LINE,
        /** No listener line: the jar's web-fragment.xml alone. */
        FRAGMENT_ONLY,
        /** No listener line and {@code metadata-complete="true"}: the container reads no fragment. */
        METADATA_COMPLETE,
        /** No listener line and an {@code <absolute-ordering>} that names no fragment: Warren's is left out. */
        ABSOLUTE_ORDERING_WITHOUT_WARREN
    }

    private final TestBroker broker;
    private final Path lib;
    private final Path appClasses;
    private final Server jetty;
    private final QueuedThreadPool pool;
    private final Handler.Sequence contexts = new Handler.Sequence();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ServerConnector connector;
    private final int port;

    private static boolean demoTracing(String entry) {
        String jar = entry.substring("WEB-INF/lib/".length());
        return jar.startsWith("opentelemetry-") || jar.startsWith("micrometer-tracing") || jar.startsWith("context-propagation");
    }

    private JettyWebapps(TestBroker broker, Duration idleTimeout) throws Exception {
        this.broker = broker;
        lib = Files.createTempDirectory("warren-it-webapp-lib-");
        Path war = Path.of(System.getProperty("warren.it.demoWar", "../examples/target/examples-0.1.0-SNAPSHOT.war"));
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(war))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                // The demo's own tracing jars (OpenTelemetry, Micrometer Tracing) are no part of Warren.
                if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar") && !demoTracing(e.getName())) {
                    Files.copy(zip, lib.resolve(e.getName().substring("WEB-INF/lib/".length())));
                }
            }
        }
        appClasses = testClassesRoot();
        // min = max: the pool starts all its threads at once, so thread counts compare across cycles.
        pool = new QueuedThreadPool(MAX_THREADS, MAX_THREADS);
        // No reserved threads: every thread takes queued requests, so "all threads busy" is plain.
        pool.setReservedThreads(0);
        pool.setName("jetty-it");
        jetty = new Server(pool);
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(idleTimeout.toMillis());
        jetty.addConnector(connector);
        jetty.setHandler(contexts);
        jetty.start();
        port = connector.getLocalPort();
    }

    static JettyWebapps start(TestBroker broker) throws Exception {
        return new JettyWebapps(broker, Duration.ofSeconds(30)); // Jetty's default
    }

    /**
     * @param idleTimeout how long Jetty keeps an idle keep-alive connection. Such a connection
     *        holds the last webapp it served (its ServletChannel), class loader included, until
     *        it closes or serves another: a container's reference, not the application's.
     */
    static JettyWebapps start(TestBroker broker, Duration idleTimeout) throws Exception {
        return new JettyWebapps(broker, idleTimeout);
    }

    QueuedThreadPool threadPool() {
        return pool;
    }

    /**
     * An exploded webapp at {@code /name} whose connector is named {@code name}. Its web.xml has
     * the app's {@link io.warren.it.servlet.app.MetricsListener} (a Micrometer registry for Warren),
     * Warren's listener, the app's {@link io.warren.it.servlet.app.OwnServerListener} (an RPC
     * server of the app's own code, when the context-param {@code it.own.topic} names its topic;
     * after Warren's listener only with its listener line), the health servlet, the test app's servlets ({@code /call}, {@code /cast},
     * {@code /block}) and these context-params over the defaults (this broker's URL, the name,
     * health on, an {@link EchoEndpoint} declared as the RPC server of topic {@code <name>-echo},
     * which {@code /call} calls).
     */
    ContextHandler webapp(String name, Map<String, String> params) throws IOException {
        return webapp(name, params, WebXml.LISTENER_LINE);
    }

    /** {@link #webapp(String, Map)}, with Warren's listener brought in as {@code webXml} says. */
    ContextHandler webapp(String name, Map<String, String> params, WebXml webXml) throws IOException {
        Path dir = Files.createTempDirectory("warren-it-webapp-" + name + "-");
        Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
        Path libDir = Files.createDirectories(webInf.resolve("lib"));
        try (var jars = Files.list(lib)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, libDir.resolve(jar.getFileName()));
            }
        }
        String appPackage = CallServlet.class.getPackageName().replace('.', '/');
        Path classesDir = Files.createDirectories(webInf.resolve("classes").resolve(appPackage));
        try (var classes = Files.list(appClasses.resolve(appPackage))) {
            for (Path c : classes.filter(p -> p.toString().endsWith(".class")).toList()) {
                Files.copy(c, classesDir.resolve(c.getFileName()));
            }
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("warren.url", broker.transportUrl());
        all.put("warren.name", name);
        all.put("warren.health.enabled", "true");
        all.put("it.topic", name + "-echo");
        all.put("warren.rpc.servers", name + "-echo = " + EchoEndpoint.class.getName());
        if (broker.isEmbedded()) {
            all.put("warren.call_expiration", "false"); // Broker-J reads the expiration as an absolute time
        }
        all.putAll(params);
        StringBuilder contextParams = new StringBuilder();
        all.forEach((k, v) -> contextParams.append("  <context-param><param-name>").append(k)
                .append("</param-name><param-value>").append(v).append("</param-value></context-param>\n"));
        String app = CallServlet.class.getPackageName();
        String version = ENVIRONMENT.equals("ee11") ? "6.1" : "6.0";
        String metadataComplete = webXml == WebXml.METADATA_COMPLETE ? " metadata-complete=\"true\"" : "";
        String warrenLine = webXml == WebXml.LISTENER_LINE
                ? "  <listener><listener-class>io.warren.servlet.WarrenContextListener</listener-class></listener>\n" : "";
        String ordering = webXml == WebXml.ABSOLUTE_ORDERING_WITHOUT_WARREN ? "  <absolute-ordering/>\n" : "";
        Files.writeString(webInf.resolve("web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="%s"%s>
                %s  <listener><listener-class>%s.MetricsListener</listener-class></listener>
                %s  <listener><listener-class>%s.OwnServerListener</listener-class></listener>
                %s
                  <servlet><servlet-name>call</servlet-name><servlet-class>%s.CallServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>call</servlet-name><url-pattern>/call</url-pattern><url-pattern>/cast</url-pattern></servlet-mapping>
                  <servlet><servlet-name>block</servlet-name><servlet-class>%s.BlockServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>block</servlet-name><url-pattern>/block</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(version, metadataComplete, ordering, app, warrenLine, app, contextParams, app, app));
        return newWebAppContext(dir.toString(), "/" + name);
    }

    /** The environment's {@code WebAppContext}, throwing when a listener fails to start, as core {@link ContextHandler}. */
    private static ContextHandler newWebAppContext(String war, String contextPath) {
        try {
            Class<?> type = Class.forName("org.eclipse.jetty." + ENVIRONMENT + ".webapp.WebAppContext");
            Object webapp = type.getConstructor(String.class, String.class).newInstance(war, contextPath);
            type.getMethod("setThrowUnavailableOnStartupException", boolean.class).invoke(webapp, true);
            return (ContextHandler) webapp;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no Jetty " + ENVIRONMENT + " WebAppContext on the class path"
                    + " (system property warren.it.jetty)", e);
        }
    }

    /** @return the servlet API the webapps see, e.g. {@code 6.1} (the running container's major.minor) */
    String servletApiVersion(ContextHandler webapp) {
        try {
            Object servletContext = webapp.getClass().getMethod("getServletContext").invoke(webapp);
            Class<?> type = Class.forName("jakarta.servlet.ServletContext");
            return type.getMethod("getMajorVersion").invoke(servletContext) + "."
                    + type.getMethod("getMinorVersion").invoke(servletContext);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    void deploy(ContextHandler webapp) throws Exception {
        contexts.addHandler(webapp);
        try {
            webapp.start();
        } catch (Exception e) {
            contexts.removeHandler(webapp);
            throw e;
        }
    }

    void undeploy(ContextHandler webapp) throws Exception {
        webapp.stop();
        contexts.removeHandler(webapp);
    }

    /** Stops and starts the network connector (same port): its selector and acceptor threads end and start anew. */
    void restartConnector() throws Exception {
        connector.stop();
        connector.setPort(port);
        connector.start();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path, Duration.ofSeconds(20)), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest request(String path, Duration timeout) {
        try {
            return HttpRequest.newBuilder(new URI("http://127.0.0.1:" + port + path)).timeout(timeout).build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(path, e);
        }
    }

    HttpClient http() {
        return http;
    }

    /**
     * Meters in the registry the webapp's MetricsListener made, found through the context
     * attribute {@code it.meters} the test set before deploying (reflection: the registry's
     * classes are the webapp's own, not the test's).
     */
    static List<String> meterNames(Map<String, Object> sink) throws ReflectiveOperationException {
        Object registry = sink.get("registry");
        List<String> names = new ArrayList<>();
        for (Object meter : (List<?>) registry.getClass().getMethod("getMeters").invoke(registry)) {
            Object id = meter.getClass().getMethod("getId").invoke(meter);
            names.add((String) id.getClass().getMethod("getName").invoke(id));
        }
        return names;
    }

    /** The broker's connections of the connector named {@code name} (their client-given names start with it). */
    static List<Rabbitmqctl.ConnectionInfo> connectionsOf(Rabbitmqctl ctl, String name) {
        return ctl.listConnections().stream()
                .filter(c -> c.connectionName() != null && c.connectionName().startsWith(name + " ")).toList();
    }

    /** The ObjectName pattern of every connector MBean a webapp at {@code /name} registered. */
    static Set<ObjectName> mbeans(String name) {
        try {
            return ManagementFactory.getPlatformMBeanServer().queryNames(
                    new ObjectName("io.warren:type=Connector,context=" + ObjectName.quote("/" + name) + ",*"), null);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    private static Path testClassesRoot() {
        try {
            return Path.of(CallServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
