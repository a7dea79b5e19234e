package io.warren.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.Connector;
import io.warren.ConnectorMXBean;
import io.warren.examples.worker.ComputeWorker;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.NetworkLink;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.Tomcat;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;

/**
 * The demo WAR, unchanged, as two versions at one context path in Debian's Tomcat 10.1 (parallel
 * deployment: {@code app##001.war}, then {@code app##002.war}), with {@code warren.startup=lazy}
 * and a broker that is unreachable when the first version deploys:
 * <ol>
 *   <li>001 deploys although the broker is away (its EventsListener subscribes while the
 *       connector is STARTING), health 503;</li>
 *   <li>the broker comes (a forwarder starts on the port of the webapp's URL): 001 turns UP, serves
 *       an RPC through the compute worker, and its EventsListener receives the notification;</li>
 *   <li>002 deploys beside it with no setting changed: two MXBeans, {@code version="001"} and
 *       {@code version="002"}, both UP (read over Tomcat's JMX port), and four connections whose
 *       names say {@code context=/app##001} or {@code context=/app##002};</li>
 *   <li>001 is undeployed: its MXBean and connections go, 002 stays UP and serves.</li>
 * </ol>
 */
class TomcatParallelDeployIT {
    private final TestBroker broker = TestBroker.shared();

    @Test
    void twoVersionsAtOneContextPathRunSideBySideAndTheFirstDeploysWhileTheBrokerIsAway() throws Exception {
        broker.requireRabbitMq("two versions of the demo WAR in Tomcat (and rabbitmqctl to name their connections)");
        Tomcat.Distribution debian = Tomcat.Distribution.debianTomcat10().require();
        Path war = Path.of(System.getProperty("warren.it.demoWar", "../examples/target/examples-0.1.0-SNAPSHOT.war"));
        assertThat(war).isRegularFile();
        try (TestBroker.PrivateVhost vhost = broker.privateVhost("the demo WAR's fixed names, naming its connections")) {
            run(debian, vhost, war);
        }
    }

    private void run(Tomcat.Distribution distribution, TestBroker.PrivateVhost vhost, Path war) throws Exception {
        int jmxPort = Tomcat.freePort();
        int brokerPort = Tomcat.freePort(); // nothing listens there until the link starts
        String direct = vhost.broker().transportUrl();
        String hostPort = "@" + vhost.broker().host() + ":" + vhost.broker().port() + "/";
        assertThat(direct).contains(hostPort);
        String viaLink = direct.replace(hostPort, "@127.0.0.1:" + brokerPort + "/");
        Connector worker = ComputeWorker.start(direct, Map.of());
        NetworkLink link = null;
        // The deployment's settings, from the environment as a container would give them; the WAR
        // is the demo's, unchanged. Attempts every second, so the connect follows the broker. JMX on
        // loopback, to read both versions' MXBeans as jconsole would.
        Map<String, String> environment = Map.of(
                "WARREN_URL", viaLink,
                "WARREN_STARTUP", "lazy",
                "WARREN_RABBIT_RETRY_INTERVAL", "1",
                "WARREN_RABBIT_RETRY_BACKOFF", "0",
                "WARREN_RABBIT_INTERVAL_MAX", "1",
                "CATALINA_OPTS", String.join(" ",
                        "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                        "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                        "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false"));
        try (Tomcat tomcat = Tomcat.start(distribution, environment)) {
            String app = tomcat.url("/app");
            long t0 = System.nanoTime();

            // 1. Version 001 while the broker is away: deployed, DOWN.
            tomcat.deploy(war, "app##001");
            tomcat.awaitStatus(app + "/warren/health", 503);
            assertThat(tomcat.send("GET", app + "/warren/health", null).body()).contains("\"state\":\"STARTING\"");
            assertThat(tomcat.consoleLog()).doesNotContain("listeners failed to start").doesNotContain("NullPointerException");

            // 2. The broker comes: UP, serving, and the EventsListener made while STARTING consumes.
            link = NetworkLink.startOn(brokerPort, vhost.broker().host(), vhost.broker().port());
            tomcat.awaitStatus(app + "/warren/health", 200);
            HttpResponse<String> created = tomcat.send("POST", app + "/servers", "{\"name\": \"parallel1\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            CoreFixtures.waitUntil(Duration.ofSeconds(15), "001's EventsListener got the create notification",
                    () -> body(tomcat, app + "/events").contains("compute.instance.create.end"));

            // 3. Version 002 beside it.
            tomcat.deploy(war, "app##002");
            try (JMXConnector jmx = connectJmx(jmxPort)) {
                MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
                ObjectName v1 = new ObjectName("io.warren:type=Connector,context=\"/app\",version=\"001\",name=\"servers-api\"");
                ObjectName v2 = new ObjectName("io.warren:type=Connector,context=\"/app\",version=\"002\",name=\"servers-api\"");
                CoreFixtures.waitUntil(Duration.ofSeconds(90), "both versions' MXBeans UP", () -> health(mbeans, v1).equals("UP")
                        && health(mbeans, v2).equals("UP"));
                Set<ObjectName> all = mbeans.queryNames(new ObjectName("io.warren:type=Connector,*"), null);
                assertThat(all).containsExactlyInAnyOrder(v1, v2);
                Map<String, Long> byContext = connectionsByContext(vhost);
                assertThat(byContext).containsEntry("/app##001", 2L).containsEntry("/app##002", 2L).hasSize(2);
                assertThat(tomcat.send("GET", app + "/servers", null).body()).contains("parallel1"); // the newest version serves
                System.out.println("WARREN-IT: Tomcat 10.1 parallel deployment: " + all + ", connections by context " + byContext);

                // 4. Undeploy 001: 002 stays UP and serves.
                tomcat.undeploy("app##001");
                CoreFixtures.waitUntil(Duration.ofSeconds(60), "001's MXBean gone", () -> !registered(mbeans, v1));
                assertThat(health(mbeans, v2)).isEqualTo("UP");
                CoreFixtures.waitUntil(Duration.ofSeconds(20), "only 002's connections left",
                        () -> connectionsByContext(vhost).equals(Map.of("/app##002", 2L)));
                assertThat(tomcat.send("GET", app + "/warren/health", null).statusCode()).isEqualTo(200);
                HttpResponse<String> second = tomcat.send("POST", app + "/servers", "{\"name\": \"parallel2\"}");
                assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
            }
            String console = tomcat.consoleLog();
            assertThat(console).doesNotContain("InstanceAlreadyExistsException")
                    .doesNotContain("listeners failed to start")
                    .doesNotContain("guest:guest");
            assertThat(tomcat.leakWarnings()).isEmpty();
            assertThat(Tomcat.count(console, "Warren released everything of webapp '/app##001'")).isEqualTo(1);
            assertThat(console).doesNotContain("Warren released everything of webapp '/app##002'");
            System.out.printf("WARREN-IT: Tomcat parallel deployment story in %d s%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        } finally {
            if (link != null) {
                link.close();
            }
            worker.stop(Duration.ofSeconds(10));
        }
    }

    private static String body(Tomcat tomcat, String url) {
        try {
            return tomcat.send("GET", url, null).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    private static JMXConnector connectJmx(int port) throws IOException {
        return JMXConnectorFactory.connect(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
    }

    private static String health(MBeanServerConnection mbeans, ObjectName name) {
        try {
            return registered(mbeans, name) ? JMX.newMXBeanProxy(mbeans, name, ConnectorMXBean.class).getHealth() : "absent";
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private static boolean registered(MBeanServerConnection mbeans, ObjectName name) {
        try {
            return mbeans.isRegistered(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The demo's connections (named {@code servers-api publish|consume (context=... ...)}) counted by context. */
    private static Map<String, Long> connectionsByContext(TestBroker.PrivateVhost vhost) {
        Map<String, Long> counts = new TreeMap<>();
        for (String name : vhost.connections().stream().map(Rabbitmqctl.ConnectionInfo::connectionName).toList()) {
            if (name != null && name.startsWith("servers-api ") && name.contains("(context=")) {
                String context = name.substring(name.indexOf("(context=") + "(context=".length()).split(" ")[0];
                counts.merge(context, 1L, Long::sum);
            }
        }
        return counts;
    }
}
