package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.ConnectorState;
import io.warren.Target;
import io.warren.WarrenException;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code amqps://} against a TLS-only throw-away node whose certificate a throw-away CA signed for
 * {@code DNS:localhost, IP:127.0.0.1}. Trusting that CA ({@code ssl_ca_file}) connects, with and
 * without a client certificate; another CA is refused; so is a host name the certificate does not
 * name (127.0.0.2, loopback all the same), because host names are verified by default. Every
 * refusal says why and leaves no thread behind.
 *
 * <p>The node is started once for the class: a test that runs without RabbitMQ is skipped by
 * {@link ThrowawayNodes#create} in {@code @BeforeAll}, which skips every test of the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {
    private final TestBroker broker = TestBroker.shared();

    private ThrowawayNodes nodes;
    private ThrowawayNodes.TlsNode tls;

    @BeforeAll
    void startTlsNode() {
        nodes = ThrowawayNodes.create(broker, "AMQP over TLS");
        tls = nodes.startTlsNode();
    }

    @AfterAll
    void stopTlsNode() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void amqpsConnectsWithTheRightCaAndRefusesAWrongCaOrAWrongHostName() throws Exception {
        String ca = tls.caPem().toString();

        // The right CA, host name in the certificate: connects and serves RPC over TLS.
        String name = CoreFixtures.uniqueName("tls");
        Connector connector = Connector.create(config(name, "localhost", tls.port(), "ssl_ca_file", ca));
        try {
            connector.start();
            Target target = Target.topic(name + "-topic");
            connector.rpcServer(target.server("s1"), new CallLoad.Echo());
            assertThat(connector.rpcClient().call(target, "echo", Map.of("text", "over tls"),
                    CallOptions.defaults().timeout(Duration.ofSeconds(10)))).isEqualTo("over tls");
        } finally {
            connector.stop(Duration.ofSeconds(10));
        }
        assertThat(CoreFixtures.liveThreads(name)).isEmpty();

        // With a client certificate (PEM, PKCS#8 key) as well.
        String withCert = CoreFixtures.uniqueName("tls-cert");
        Connector certified = Connector.create(config(withCert, "127.0.0.1", tls.port(), "ssl_ca_file", ca,
                "ssl_cert_file", tls.caPem().resolveSibling("client.pem").toString(),
                "ssl_key_file", tls.caPem().resolveSibling("client.key").toString()));
        try {
            certified.start();
            assertThat(certified.state()).isEqualTo(ConnectorState.RUNNING);
        } finally {
            certified.stop(Duration.ofSeconds(10));
        }
        assertThat(CoreFixtures.liveThreads(withCert)).isEmpty();

        // A CA that did not sign the broker's certificate.
        assertRefused(config(CoreFixtures.uniqueName("tls-wrong-ca"), "localhost", tls.port(),
                "ssl_ca_file", tls.wrongCaPem().toString()), "PKIX path building failed");

        // A host name the certificate does not name (loopback all the same): refused by default.
        assertRefused(config(CoreFixtures.uniqueName("tls-wrong-host"), "127.0.0.2", tls.port(), "ssl_ca_file", ca),
                "No subject alternative names matching IP address 127.0.0.2");
    }

    @Test
    void hostNameVerificationCanBeTurnedOff() {
        String unverified = CoreFixtures.uniqueName("tls-unverified");
        Connector lax = Connector.create(config(unverified, "127.0.0.2", tls.port(), "ssl_ca_file",
                tls.caPem().toString(), "ssl_enforce_hostname_verification", "false"));
        try {
            lax.start();
            assertThat(lax.state()).isEqualTo(ConnectorState.RUNNING);
        } finally {
            lax.stop(Duration.ofSeconds(10));
        }
        assertThat(CoreFixtures.liveThreads(unverified)).isEmpty();
    }

    private static void assertRefused(ConnectorConfig config, String why) {
        Connector connector = Connector.create(config);
        long t0 = System.nanoTime();
        assertThatThrownBy(connector::start)
                .isInstanceOf(WarrenException.class)
                .hasMessageContaining(config.name())
                .hasMessageContaining("could not start")
                .hasMessageContaining(why)
                .satisfies(e -> System.out.printf("WARREN-RELIABILITY: TLS refused after %.2f s: %s%n",
                        (System.nanoTime() - t0) / 1e9, e.getMessage()));
        assertThat(connector.state()).isEqualTo(ConnectorState.FAILED);
        assertThat(CoreFixtures.liveThreads(config.name())).as("threads left by a refused start").isEmpty();
    }

    private static ConnectorConfig config(String name, String host, int port, String... options) {
        ConnectorConfig.Builder b = ConnectorConfig.builder()
                .transportUrl("amqps://guest:guest@" + host + ":" + port + "/")
                .name(name)
                .option("warren_connection_timeout_ms", "5000");
        for (int i = 0; i < options.length; i += 2) {
            b.option(options[i], options[i + 1]);
        }
        return b.build();
    }
}
