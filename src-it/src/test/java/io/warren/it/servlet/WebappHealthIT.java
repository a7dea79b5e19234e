package io.warren.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.ConnectorMXBean;
import io.warren.it.support.CapturedOutput;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.Attribute;
import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of a webapp's messaging, through JMX ({@code JMX.newMXBeanProxy}) and the
 * health servlet's JSON, when it is connected, blocked by a resource alarm, and cut off from a
 * broker that is down; and that a start that fails leaves nothing behind. The password is never
 * in either view, nor in anything the test JVM printed (.ci/run also searches the whole run's
 * output for {@link #SECRET_MARKER}).
 */
class WebappHealthIT {
    /** Part of every password in this test; .ci/run fails when the run's output contains it. */
    static final String SECRET_MARKER = "NEVER-LOGGED";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestBroker broker = TestBroker.shared();
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    private final String password = "pw-" + SECRET_MARKER + "-" + UUID.randomUUID().toString().substring(0, 8) + "/s:@";
    private final String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8);
    private final List<String> shown = new ArrayList<>();
    private JettyWebapps jetty;
    private CapturedOutput output;

    @BeforeEach
    void start() throws Exception {
        output = CapturedOutput.start();
        jetty = JettyWebapps.start(broker);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            jetty.close();
        } finally {
            output.close();
        }
        String everything = output.text() + String.join("\n", shown);
        for (String secret : List.of(password, encoded)) {
            assertThat(everything).as("health JSON, MXBean attributes and output must not contain the password")
                    .doesNotContain(secret);
        }
        System.out.printf("WARREN-IT: %d chars of output, health JSON and MXBean attributes searched, password found 0 times%n",
                everything.length());
    }

    /**
     * One webapp through every state, and a second one connecting while the node is down: at each,
     * the health JSON and every MXBean attribute and operation (the MBean info included) are kept
     * for the search in {@link #stop()}; the JMX write operation {@code reconnect} is invoked too.
     */
    @Test
    void connectedBlockedRecoveringConnectingAndStoppedShowNoSecret() throws Exception {
        // A throw-away node: an alarm on the machine's broker would block every other test.
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "a resource alarm and a user with a secret password")) {
            ThrowawayNodes.Cluster node = nodes.startCluster(1);
            Rabbitmqctl ctl = nodes.rabbitmqctl(node.nodeName(0));
            String user = "webapp-" + UUID.randomUUID().toString().substring(0, 6);
            ctl.run("add_user", user, password);
            ctl.run("set_permissions", "-p", "/", user, ".*", ".*", ".*");
            String name = CoreFixtures.uniqueName("alarmed");
            ContextHandler app = jetty.webapp(name, Map.of(
                    "warren.url", "rabbit://" + user + ":" + encoded + "@127.0.0.1:" + node.amqpPort(0) + "/",
                    "warren.publish_timeout_ms", "2000",
                    "warren.jmx_write_operations", "true",
                    "warren.rabbit_retry_interval", "1"));
            jetty.deploy(app);
            try {
                ConnectorMXBean bean = proxy(name);
                JsonNode health = health(name, 200);
                assertThat(health.get("status").asText()).isEqualTo("UP");
                assertThat(health.get("state").asText()).isEqualTo("RUNNING");
                assertThat(health.get("broker").asText()).isEqualTo("127.0.0.1:" + node.amqpPort(0));
                assertThat(health.get("blocked").asBoolean()).isFalse();
                assertThat(bean.getState()).isEqualTo("RUNNING");
                assertThat(bean.getHealth()).isEqualTo("UP");
                assertThat(bean.getConnectedAddress()).isEqualTo("127.0.0.1:" + node.amqpPort(0));
                assertThat(bean.getNegotiatedHeartbeatSeconds()).isPositive();
                assertThat(bean.getConnectionNames()).hasSize(2).allMatch(n -> n.startsWith(name + " "));
                assertThat(bean.getOpenChannels()).isPositive();
                shown.add(attributes(name));

                Rabbitmqctl.MemoryWatermark watermark = ctl.vmMemoryHighWatermark();
                try {
                    ctl.setVmMemoryHighWatermark(Rabbitmqctl.MemoryWatermark.relative(0));
                    // RabbitMQ blocks a connection once it publishes: a cast from a request does.
                    HttpResponse<String> cast = jetty.get("/" + name + "/cast");
                    shown.add(cast.body());
                    CoreFixtures.waitUntil(Duration.ofSeconds(20), "the MXBean shows the webapp blocked", bean::isBlocked);
                    health = health(name, 200); // DEGRADED still answers 200: the app serves, publishing waits
                    assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
                    assertThat(health.get("state").asText()).isEqualTo("BLOCKED");
                    assertThat(health.get("blocked").asBoolean()).isTrue();
                    assertThat(health.get("blockedReason").asText()).isNotEmpty();
                    assertThat(bean.getHealth()).isEqualTo("DEGRADED");
                    assertThat(bean.getHealthReasons()).isNotEmpty();
                    assertThat(bean.getBlockedReason()).isNotEmpty();
                    System.out.println("WARREN-IT: blocked webapp health " + health);
                    shown.add(attributes(name));
                } finally {
                    ctl.setVmMemoryHighWatermark(watermark);
                }
                CoreFixtures.waitUntil(Duration.ofSeconds(20), "UP again after the alarm cleared",
                        () -> "UP".equals(bean.getHealth()));
                assertThat(health(name, 200).get("blocked").asBoolean()).isFalse();

                // The write operation, allowed here: both connections dropped and recovered.
                long reconnects = bean.getReconnectCount();
                shown.add(String.valueOf(mbeans.invoke(JettyWebapps.mbeans(name).iterator().next(), "reconnect",
                        new Object[0], new String[0])));
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "recovered after JMX reconnect",
                        () -> bean.getReconnectCount() >= reconnects + 2 && "RUNNING".equals(bean.getState()));
                shown.add(attributes(name));

                // The node's application stopped: RECOVERING; a second webapp deployed meanwhile is
                // STARTING (connecting in the background); both views of both kept.
                String connecting = name + "-lazy";
                ContextHandler lazy = jetty.webapp(connecting, Map.of(
                        "warren.url", "rabbit://" + user + ":" + encoded + "@127.0.0.1:" + node.amqpPort(0) + "/",
                        "warren.startup", "lazy",
                        "warren.rabbit_retry_interval", "1"));
                ctl.run("stop_app");
                try {
                    CoreFixtures.waitUntil(Duration.ofSeconds(20), "RECOVERING after stop_app",
                            () -> "RECOVERING".equals(bean.getState()));
                    health = health(name, 503);
                    assertThat(health.get("state").asText()).isEqualTo("RECOVERING");
                    assertThat(health.get("lastError").asText()).isNotEmpty();
                    shown.add(attributes(name));
                    jetty.deploy(lazy);
                    CoreFixtures.waitUntil(Duration.ofSeconds(20), "a failed attempt of the lazy webapp recorded",
                            () -> !proxy(connecting).getLastError().isEmpty());
                    health = health(connecting, 503);
                    assertThat(health.get("state").asText()).isEqualTo("STARTING");
                    shown.add(attributes(connecting));
                } finally {
                    ctl.run("start_app");
                }
                CoreFixtures.waitUntil(Duration.ofSeconds(60), "both webapps RUNNING after start_app",
                        () -> "RUNNING".equals(bean.getState()) && "RUNNING".equals(proxy(connecting).getState()));
                shown.add(attributes(connecting));
                jetty.undeploy(lazy);
                assertLeftNothing(connecting);

                // The connector stopped under a deployed webapp: STOPPED in both views, and the
                // write operation refused with its reason.
                Object connector = app.getContext().getAttribute(io.warren.servlet.WarrenContextListener.CONNECTOR_ATTRIBUTE);
                connector.getClass().getMethod("stop", Duration.class).invoke(connector, Duration.ofSeconds(10));
                health = health(name, 503);
                assertThat(health.get("state").asText()).isEqualTo("STOPPED");
                assertThat(bean.getState()).isEqualTo("STOPPED");
                shown.add(attributes(name));
                try {
                    mbeans.invoke(JettyWebapps.mbeans(name).iterator().next(), "reconnect", new Object[0], new String[0]);
                } catch (javax.management.MBeanException | RuntimeException e) {
                    shown.add(e + " / " + e.getCause());
                }
                for (String state : List.of("RUNNING", "BLOCKED", "RECOVERING", "STARTING", "STOPPED")) {
                    assertThat(String.join("\n", shown)).as("a view of state " + state + " was searched")
                            .contains("\"state\":\"" + state + "\"").contains("State=" + state);
                }
            } finally {
                jetty.undeploy(app);
            }
            assertLeftNothing(name);
        }
    }

    @Test
    void brokerDownWithLazyStartIsDownInBothViewsAndLeavesNothingOnUndeploy() throws Exception {
        String name = CoreFixtures.uniqueName("down");
        ContextHandler app = jetty.webapp(name, Map.of(
                "warren.url", "rabbit://app:" + encoded + "@127.0.0.1:" + closedPort() + "/",
                "warren.startup", "lazy"));
        jetty.deploy(app);
        try {
            ConnectorMXBean bean = proxy(name);
            CoreFixtures.waitUntil(Duration.ofSeconds(10), "a failed connection attempt recorded",
                    () -> !bean.getLastError().isEmpty());
            JsonNode health = health(name, 503);
            assertThat(health.get("status").asText()).isEqualTo("DOWN");
            assertThat(health.get("state").asText()).isEqualTo("STARTING");
            assertThat(health.get("reasons")).isNotEmpty();
            assertThat(health.toString()).doesNotContain("Exception\n\tat").doesNotContain("at io.warren");
            assertThat(bean.getState()).isEqualTo("STARTING");
            assertThat(bean.getHealth()).isEqualTo("DOWN");
            assertThat(bean.getLastError()).containsIgnoringCase("refused");
            System.out.println("WARREN-IT: broker-down webapp health " + health);
            shown.add(attributes(name));
            // The app's own calls fail at once with a clear reason rather than hang.
            HttpResponse<String> call = jetty.get("/" + name + "/call?text=x");
            shown.add(call.body());
            assertThat(call.statusCode()).isEqualTo(500);
            assertThat(call.body()).contains("not connected yet");
        } finally {
            jetty.undeploy(app);
        }
        assertLeftNothing(name);
    }

    @Test
    void withLazyStartTheDeclaredServerStartsOnceConnected() throws Exception {
        String name = CoreFixtures.uniqueName("lazy");
        ContextHandler app = jetty.webapp(name, Map.of("warren.startup", "lazy"));
        jetty.deploy(app);
        try {
            ConnectorMXBean bean = proxy(name);
            CoreFixtures.waitUntil(Duration.ofSeconds(20), "connected in the background", () -> "RUNNING".equals(bean.getState()));
            // The echo endpoint of warren.rpc.servers was started by the connect, not by contextInitialized.
            CoreFixtures.waitUntil(Duration.ofSeconds(10), "the declared topic answers",
                    () -> call(name, "late").equals("late from /" + name));
            assertThat(health(name, 200).get("status").asText()).isEqualTo("UP");
        } finally {
            jetty.undeploy(app);
        }
        assertLeftNothing(name);
    }

    private String call(String name, String text) {
        try {
            return jetty.get("/" + name + "/call?text=" + text).body();
        } catch (java.io.IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    @Test
    void aFailedStartLeavesNoThreadNoMBeanNoConnection() throws Exception {
        String badUrl = CoreFixtures.uniqueName("badurl");
        assertThatThrownBy(() -> jetty.deploy(jetty.webapp(badUrl,
                Map.of("warren.url", "rabbit://app:" + encoded + "@127.0.0.1:notaport/")))).satisfies(e -> {
                    shown.add(rootMessage(e));
                    assertThat(rootMessage(e)).contains("warren.url").contains("port");
                });
        assertLeftNothing(badUrl);

        String down = CoreFixtures.uniqueName("eagerdown");
        assertThatThrownBy(() -> jetty.deploy(jetty.webapp(down,
                Map.of("warren.url", "rabbit://app:" + encoded + "@127.0.0.1:" + closedPort() + "/"))))
                .satisfies(e -> shown.add(rootMessage(e)));
        assertLeftNothing(down);

        String typo = CoreFixtures.uniqueName("typo");
        assertThatThrownBy(() -> jetty.deploy(jetty.webapp(typo, Map.of("warren.rpc.servers", "echo = com.example.Missing"))))
                .satisfies(e -> assertThat(rootMessage(e)).contains("warren.rpc.servers").contains("com.example.Missing"));
        assertLeftNothing(typo);
    }

    @Test
    void aStartThatFailsAfterConnectingClosesItsConnections() throws Exception {
        broker.requireRabbitMq("a queue declared with other flags (PRECONDITION_FAILED after the connector connected)");
        String name = CoreFixtures.uniqueName("halfway");
        // The topic queue the webapp's declared server needs, already there with other flags.
        try (var connection = broker.connectionFactory().newConnection(); var channel = connection.createChannel()) {
            channel.queueDeclare(name + "-echo", true, false, false, Map.of("x-max-length", 5));
        }
        try {
            assertThatThrownBy(() -> jetty.deploy(jetty.webapp(name, Map.of())))
                    .satisfies(e -> assertThat(rootMessage(e)).contains("PRECONDITION_FAILED"));
            assertLeftNothing(name);
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "connections after a failed start");
            CoreFixtures.waitUntil(Duration.ofSeconds(10), "no broker connection of the failed webapp",
                    () -> JettyWebapps.connectionsOf(ctl, name).isEmpty());
        } finally {
            Rabbitmqctl.forSharedBroker(broker, "removing the test's queue").deleteQueue(name + "-echo");
        }
    }

    private void assertLeftNothing(String name) {
        assertThat(CoreFixtures.liveThreads(name)).as("threads of " + name).isEmpty();
        assertThat(JettyWebapps.mbeans(name)).as("MBeans of " + name).isEmpty();
    }

    private ConnectorMXBean proxy(String name) {
        assertThat(JettyWebapps.mbeans(name)).hasSize(1);
        return JMX.newMXBeanProxy(mbeans, JettyWebapps.mbeans(name).iterator().next(), ConnectorMXBean.class);
    }

    private JsonNode health(String name, int expectedStatus) throws Exception {
        HttpResponse<String> r = jetty.get("/" + name + "/warren/health");
        shown.add(r.body());
        assertThat(r.statusCode()).as("health status; body " + r.body()).isEqualTo(expectedStatus);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(r.body());
    }

    /** Every attribute of the webapp's MBean, as a JMX console would show them. */
    private String attributes(String name) throws Exception {
        ObjectName objectName = JettyWebapps.mbeans(name).iterator().next();
        StringBuilder all = new StringBuilder(objectName.toString());
        for (MBeanAttributeInfo a : mbeans.getMBeanInfo(objectName).getAttributes()) {
            for (Object v : mbeans.getAttributes(objectName, new String[] {a.getName()}).asList()) {
                Object value = ((Attribute) v).getValue();
                all.append('\n').append(a.getName()).append('=')
                        .append(value instanceof String[] list ? String.join(",", list) : String.valueOf(value));
            }
        }
        // The MBean info as a console lists it: every attribute's and operation's name, type and text.
        MBeanInfo info = mbeans.getMBeanInfo(objectName);
        all.append('\n').append(info.getClassName()).append(' ').append(info.getDescription());
        for (MBeanAttributeInfo a : info.getAttributes()) {
            all.append('\n').append(a.getName()).append(": ").append(a.getType()).append(' ').append(a.getDescription());
        }
        for (MBeanOperationInfo o : info.getOperations()) {
            all.append('\n').append(o.getName()).append("(): ").append(o.getReturnType()).append(' ')
                    .append(o.getDescription());
        }
        return all.toString();
    }

    private static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
