package io.warren.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.management.ObjectName;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real webapps in Jetty 12, each with Warren's jars in its own WEB-INF/lib (taken from the demo
 * WAR) and one listener line in web.xml: each owns its connector, threads and connections; stopping
 * one leaves the other serving; and 50 deploy/undeploy cycles leave no thread, MBean, connection or
 * thread context class loader behind, and every undeployed webapp's class loader is collectable.
 */
class WebappOwnershipIT {
    private static final int CYCLES = 50;
    private final TestBroker broker = TestBroker.shared();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private Path lib;
    private Server jetty;
    private Handler.Sequence contexts;
    private int port;

    @BeforeEach
    void startJetty() throws Exception {
        lib = Files.createTempDirectory("warren-it-webapp-lib-");
        Path war = Path.of(System.getProperty("warren.it.demoWar", "../examples/target/examples-0.1.0-SNAPSHOT.war"));
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(war))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
                    Files.copy(zip, lib.resolve(e.getName().substring("WEB-INF/lib/".length())));
                }
            }
        }
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        contexts = new Handler.Sequence();
        jetty.setHandler(contexts);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stopJetty() throws Exception {
        jetty.stop();
    }

    /** An exploded webapp: Warren's jars and a web.xml with the listener and the health servlet. */
    private WebAppContext webapp(String name) throws IOException {
        Path dir = Files.createTempDirectory("warren-it-webapp-" + name + "-");
        Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
        Path libDir = Files.createDirectories(webInf.resolve("lib"));
        try (var jars = Files.list(lib)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, libDir.resolve(jar.getFileName()));
            }
        }
        String expiration = broker.isEmbedded() ? param("warren.warren_call_expiration", "false") : "";
        Files.writeString(webInf.resolve("web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <listener><listener-class>io.warren.servlet.WarrenContextListener</listener-class></listener>
                  %s%s%s%s
                </web-app>
                """.formatted(param("warren.url", broker.transportUrl()), param("warren.name", name),
                param("warren.health.enabled", "true"), expiration));
        WebAppContext webapp = new WebAppContext(dir.toString(), "/" + name);
        webapp.setThrowUnavailableOnStartupException(true);
        return webapp;
    }

    private static String param(String name, String value) {
        return "<context-param><param-name>" + name + "</param-name><param-value>" + value + "</param-value></context-param>";
    }

    private void deploy(WebAppContext webapp) throws Exception {
        contexts.addHandler(webapp);
        webapp.start();
    }

    private void undeploy(WebAppContext webapp) throws Exception {
        webapp.stop();
        contexts.removeHandler(webapp);
    }

    private int health(String name) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + name + "/warren/health"))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static boolean mbean(String name) throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .isRegistered(new ObjectName("io.warren:type=Connector,name=" + ObjectName.quote(name)));
    }

    @Test
    void twoWebappsOwnTheirConnectorsAndStoppingOneLeavesTheOtherServing() throws Exception {
        String shop = CoreFixtures.uniqueName("shop");
        String admin = CoreFixtures.uniqueName("admin");
        WebAppContext shopApp = webapp(shop);
        WebAppContext adminApp = webapp(admin);
        deploy(shopApp);
        deploy(adminApp);

        assertThat(health(shop)).isEqualTo(200);
        assertThat(health(admin)).isEqualTo(200);
        assertThat(CoreFixtures.liveThreads(shop)).isNotEmpty();
        assertThat(CoreFixtures.liveThreads(admin)).isNotEmpty();
        assertThat(mbean(shop)).isTrue();
        assertThat(mbean(admin)).isTrue();
        if (broker.isRabbitMq()) {
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "counting each webapp's connections");
            assertThat(connectionsOf(ctl, shop)).hasSize(2);
            assertThat(connectionsOf(ctl, admin)).hasSize(2);
        }

        undeploy(shopApp);

        assertThat(CoreFixtures.liveThreads(shop)).as("the stopped webapp's threads").isEmpty();
        assertThat(mbean(shop)).isFalse();
        assertThat(health(admin)).isEqualTo(200);
        assertThat(CoreFixtures.liveThreads(admin)).isNotEmpty();
        if (broker.isRabbitMq()) {
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "counting each webapp's connections");
            CoreFixtures.waitUntil(Duration.ofSeconds(10), "the broker saw the shop's connections close",
                    () -> connectionsOf(ctl, shop).isEmpty());
            assertThat(connectionsOf(ctl, admin)).hasSize(2);
        }
        undeploy(adminApp);
    }

    @Test
    void fiftyDeployUndeployCyclesLeaveNothingBehind() throws Exception {
        String name = CoreFixtures.uniqueName("cycle");
        java.util.Set<String> baseline = null;
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int i = 0; i < CYCLES; i++) {
            WebAppContext app = webapp(name);
            deploy(app);
            assertThat(health(name)).isEqualTo(200);
            ClassLoader loader = app.getClassLoader();
            loaders.add(new WeakReference<>(loader));
            undeploy(app);

            // Checked right after the undeploy returns: that is when containers look.
            assertThat(CoreFixtures.liveThreads(name)).as("cycle " + i).isEmpty();
            assertThat(mbean(name)).as("cycle " + i).isFalse();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                assertThat(t.getContextClassLoader()).as("context class loader of " + t.getName()).isNotSameAs(loader);
            }
            loader = null;
            app = null;
            if (i == 0) {
                // After one cycle: Jetty's pool and the HTTP client have started their own threads.
                baseline = threadNames();
            }
        }
        java.util.Set<String> extra = threadNames();
        extra.removeAll(baseline);
        assertThat(extra).as("threads alive after " + CYCLES + " cycles that were not there after the first").isEmpty();
        if (broker.isRabbitMq()) {
            assertThat(connectionsOf(Rabbitmqctl.forSharedBroker(broker, "connections left"), name)).isEmpty();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (loaders.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        long alive = loaders.stream().filter(r -> r.get() != null).count();
        System.out.println("WARREN-IT: " + CYCLES + " deploy/undeploy cycles, webapp class loaders still reachable after GC: " + alive);
        // Weak references only, and plain System.gc(): a loader held through a SoftReference (as
        // Jackson's default thread-local buffers on request threads did) counts as a leak here.
        assertThat(alive).as("undeployed webapp class loaders still reachable after GC").isZero();
    }

    /** Live threads, leaving out the embedded broker's own pools (it runs in this JVM when there is no RabbitMQ). */
    private static java.util.Set<String> threadNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            boolean brokerJ = n.startsWith("IO-") || n.startsWith("virtualhost-") || n.startsWith("Broker-")
                    || n.startsWith("broker-") || n.startsWith("VirtualHostNode-") || n.startsWith("Housekeeping");
            if (t.isAlive() && !brokerJ) {
                names.add(n);
            }
        }
        return names;
    }

    private static List<String> connectionsOf(Rabbitmqctl ctl, String name) {
        return ctl.listConnections().stream().map(Rabbitmqctl.ConnectionInfo::connectionName)
                .filter(n -> n != null && n.startsWith(name + " ")).toList();
    }

}
