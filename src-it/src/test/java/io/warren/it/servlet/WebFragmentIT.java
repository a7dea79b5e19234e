package io.warren.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.it.servlet.JettyWebapps.WebXml;
import io.warren.it.support.CapturedOutput;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * connector-servlet's web-fragment.xml in a real container (Jetty 12, ee10 or ee11 as
 * {@link JettyWebapps#ENVIRONMENT} says): the jars in WEB-INF/lib alone start Warren; a web.xml
 * that also lists the listener still gets one connector; {@code warren.enabled=false},
 * {@code metadata-complete="true"} and an {@code <absolute-ordering>} without {@code warren} each
 * leave Warren out, with nothing made.
 */
class WebFragmentIT {
    private final TestBroker broker = TestBroker.shared();
    private JettyWebapps jetty;
    private CapturedOutput output;

    @BeforeEach
    void startJetty() throws Exception {
        output = CapturedOutput.start();
        jetty = JettyWebapps.start(broker, Duration.ofSeconds(2));
    }

    @AfterEach
    void stopJetty() throws Exception {
        try {
            jetty.close();
        } finally {
            output.close();
        }
    }

    @Test
    void theFragmentAloneStartsWarrenAfterTheAppsOwnListener() throws Exception {
        String name = CoreFixtures.uniqueName("fragment");
        ContextHandler app = jetty.webapp(name, Map.of(), WebXml.FRAGMENT_ONLY);
        Map<String, Object> meters = new ConcurrentHashMap<>();
        app.setAttribute("it.meters", meters);
        jetty.deploy(app);
        System.out.println("WARREN-IT: Jetty " + JettyWebapps.ENVIRONMENT + ", Servlet " + jetty.servletApiVersion(app));

        // The listener's servlet, filter and declared RPC server, all from the fragment's listener.
        assertThat(jetty.get("/" + name + "/warren/health").statusCode()).isEqualTo(200);
        assertThat(jetty.get("/" + name + "/call?text=hi").body()).isEqualTo("hi from /" + name);
        assertThat(JettyWebapps.mbeans(name)).hasSize(1);
        assertOneConnectorsConnections(name);
        // The app's MetricsListener (web.xml) ran first: Warren took the registry it set.
        CoreFixtures.waitUntil(Duration.ofSeconds(5), "warren.* meters in the app's registry",
                () -> meterNames(meters).stream().anyMatch(n -> n.startsWith("warren.")));

        jetty.undeploy(app);
        assertLeftNothing(name);
        meters.clear();
    }

    @Test
    void theFragmentAndAWebXmlLineMakeOneConnector() throws Exception {
        String name = CoreFixtures.uniqueName("both");
        ContextHandler app = jetty.webapp(name, Map.of(), WebXml.LISTENER_LINE);
        jetty.deploy(app);

        assertThat(jetty.get("/" + name + "/call?text=once").body()).isEqualTo("once from /" + name);
        assertThat(JettyWebapps.mbeans(name)).hasSize(1);
        assertOneConnectorsConnections(name);
        // One instance, made by the container (one per class name), not a second one standing aside.
        assertThat(output.linesContaining("a second WarrenContextListener")).isZero();

        jetty.undeploy(app);
        assertLeftNothing(name);
    }

    @Test
    void warrenEnabledFalseTurnsTheFragmentsListenerOff() throws Exception {
        String name = CoreFixtures.uniqueName("off");
        ContextHandler app = jetty.webapp(name, Map.of("warren.enabled", "false"), WebXml.FRAGMENT_ONLY);
        jetty.deploy(app);

        assertMadeNothing(name);
        assertThat(jetty.get("/" + name + "/call?text=x").body())
                .isEqualTo("IllegalStateException: no Warren connector in ServletContext '/" + name
                        + "': turned off by warren.enabled=false (context-param warren.enabled)");
        assertThat(output.linesContaining("Warren in '/" + name + "': turned off by warren.enabled=false"
                + " (context-param warren.enabled)")).isEqualTo(1);
        jetty.undeploy(app);
    }

    @Test
    void metadataCompleteLeavesTheFragmentOut() throws Exception {
        String name = CoreFixtures.uniqueName("complete");
        ContextHandler app = jetty.webapp(name, Map.of(), WebXml.METADATA_COMPLETE);
        jetty.deploy(app);

        assertMadeNothing(name);
        assertThat(jetty.get("/" + name + "/call?text=x").body()).startsWith("IllegalStateException: no Warren connector");
        jetty.undeploy(app);
    }

    @Test
    void anAbsoluteOrderingWithoutWarrenLeavesTheFragmentOut() throws Exception {
        String name = CoreFixtures.uniqueName("ordered");
        ContextHandler app = jetty.webapp(name, Map.of(), WebXml.ABSOLUTE_ORDERING_WITHOUT_WARREN);
        jetty.deploy(app);

        assertMadeNothing(name);
        jetty.undeploy(app);
    }

    /**
     * Deployed and serving, but no Warren: no health servlet, connector thread or MBean (and so no
     * connection: each has its reader thread, which would be a Warren thread).
     */
    private void assertMadeNothing(String name) throws Exception {
        HttpResponse<String> health = jetty.get("/" + name + "/warren/health");
        assertThat(health.statusCode()).as("the health servlet is Warren's").isEqualTo(404);
        assertThat(CoreFixtures.liveThreads(name)).as("Warren threads of " + name).isEmpty();
        assertThat(JettyWebapps.mbeans(name)).as("MBeans of " + name).isEmpty();
    }

    private void assertLeftNothing(String name) {
        assertThat(CoreFixtures.liveThreads(name)).as("Warren threads of " + name).isEmpty();
        assertThat(JettyWebapps.mbeans(name)).as("MBeans of " + name).isEmpty();
        if (broker.isRabbitMq()) {
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "the webapp's broker connections");
            CoreFixtures.waitUntil(Duration.ofSeconds(10), "no broker connection of " + name,
                    () -> JettyWebapps.connectionsOf(ctl, name).isEmpty());
        }
    }

    private void assertOneConnectorsConnections(String name) {
        assertThat(CoreFixtures.liveThreads(name)).filteredOn(t -> t.contains("-heartbeat-")).hasSize(1);
        if (broker.isRabbitMq()) {
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "counting the webapp's connections");
            assertThat(JettyWebapps.connectionsOf(ctl, name)).as("publish and consume, of one connector").hasSize(2);
        }
    }

    private static java.util.List<String> meterNames(Map<String, Object> sink) {
        try {
            return JettyWebapps.meterNames(sink);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the webapp's meter registry", e);
        }
    }
}
