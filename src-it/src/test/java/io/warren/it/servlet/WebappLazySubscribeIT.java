package io.warren.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.NetworkLink;
import io.warren.it.support.TestBroker;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code warren.startup=lazy} with a broker that is unreachable when the webapp deploys and comes
 * later: the app's own listener makes an RPC server while the connector is still connecting (what
 * failed with "the connector is STARTING" before); the deployment succeeds, health says DOWN (503)
 * and calls fail at once saying why; when the broker comes, health turns UP and the app's own
 * server and the declared one both answer. The broker "comes" as a forwarder that starts on the
 * port the webapp's URL names, where nothing listened before.
 */
class WebappLazySubscribeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestBroker broker = TestBroker.shared();
    private JettyWebapps jetty;

    @BeforeEach
    void start() throws Exception {
        jetty = JettyWebapps.start(broker);
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theAppsOwnServerMadeWhileConnectingStartsWhenTheBrokerComes() throws Exception {
        String name = CoreFixtures.uniqueName("lazyown");
        int port = closedPort();
        // The test broker's URL, at a port where nothing listens yet.
        String url = broker.transportUrl().replace("@" + broker.host() + ":" + broker.port() + "/", "@127.0.0.1:" + port + "/");
        assertThat(url).contains(":" + port + "/");
        ContextHandler app = jetty.webapp(name, Map.of(
                "warren.url", url,
                "warren.startup", "lazy",
                // Attempts every second, so the connect follows the broker's arrival at once.
                "warren.rabbit_retry_interval", "1",
                "warren.rabbit_retry_backoff", "0",
                "warren.rabbit_interval_max", "1",
                "it.own.topic", name + "-own",
                "it.topic", name + "-own"));
        jetty.deploy(app); // used to fail: ConnectorStoppedException "the connector is STARTING"
        NetworkLink link = null;
        try {
            JsonNode down = health(name, 503);
            assertThat(down.get("status").asText()).isEqualTo("DOWN");
            assertThat(down.get("state").asText()).isEqualTo("STARTING");
            HttpResponse<String> refused = jetty.get("/" + name + "/call?text=early");
            assertThat(refused.statusCode()).isEqualTo(500);
            assertThat(refused.body()).contains("not connected yet");

            link = NetworkLink.startOn(port, broker.host(), broker.port());
            CoreFixtures.waitUntil(Duration.ofSeconds(30), "health UP once the broker is reachable",
                    () -> status(name) == 200);
            assertThat(health(name, 200).get("status").asText()).isEqualTo("UP");
            // The app's own server, made while STARTING, answers.
            String[] last = {""};
            try {
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "the app's own topic answers",
                        () -> (last[0] = call(name, "late")).equals("late from /" + name));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
            }
            System.out.println("WARREN-IT: lazy start, own listener's server made while STARTING, answered after the broker came: "
                    + call(name, "again"));
        } finally {
            jetty.undeploy(app);
            if (link != null) {
                link.close();
            }
        }
        assertThat(CoreFixtures.liveThreads(name)).as("threads of " + name).isEmpty();
        assertThat(JettyWebapps.mbeans(name)).as("MBeans of " + name).isEmpty();
    }

    private int status(String name) {
        try {
            return jetty.get("/" + name + "/warren/health").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String call(String name, String text) {
        try {
            return jetty.get("/" + name + "/call?text=" + text).body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private JsonNode health(String name, int expected) throws Exception {
        HttpResponse<String> r = jetty.get("/" + name + "/warren/health");
        assertThat(r.statusCode()).as("health; body " + r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }
}
