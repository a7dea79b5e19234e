package io.warren;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle story without a broker: a port that nothing listens on. The same story against a
 * real broker is in src-it.
 */
class ConnectorLifecycleTest {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static ConnectorConfig unreachable(String name) throws IOException {
        return ConnectorConfig.builder()
                .transportUrl("rabbit://app:s3cret-pw@127.0.0.1:" + closedPort() + "/")
                .name(name)
                .option("warren_connection_timeout_ms", "1000")
                .build();
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .toList();
    }

    @Test
    void aNewConnectorStopsWithoutEverConnecting() throws IOException {
        List<String> changes = new CopyOnWriteArrayList<>();
        Connector connector = Connector.builder(unreachable("never-started"))
                .stateListener((c, from, to) -> changes.add(from + "->" + to))
                .build();
        assertThat(connector.state()).isEqualTo(ConnectorState.NEW);

        connector.stop(Duration.ofSeconds(1));

        assertThat(connector.state()).isEqualTo(ConnectorState.STOPPED);
        assertThat(changes).containsExactly("NEW->STOPPED");
        assertThatThrownBy(connector::start)
                .isInstanceOf(ConnectorStoppedException.class)
                .hasMessageContaining("never-started")
                .hasMessageContaining("STOPPED");
    }

    @Test
    void aFailedStartSaysWhyLeavesNoThreadAndStaysFailed() throws IOException {
        List<String> changes = new CopyOnWriteArrayList<>();
        Connector connector = Connector.builder(unreachable("failing-start"))
                .stateListener((c, from, to) -> changes.add(from + "->" + to))
                .build();

        assertThatThrownBy(connector::start)
                .isInstanceOf(WarrenException.class)
                .hasMessageContaining("failing-start - could not start")
                .hasMessageNotContaining("s3cret-pw");

        assertThat(connector.state()).isEqualTo(ConnectorState.FAILED);
        assertThat(changes).containsExactly("NEW->STARTING", "STARTING->FAILED");
        assertThat(threadsNamed("warren-failing-start-")).isEmpty();
        assertThat(connector.health().status()).isEqualTo(Health.Status.DOWN);
        assertThat(connector.stats().lastError()).isNotEmpty().doesNotContain("s3cret-pw");

        // Start again: refused, it never reconnects by itself. Stop: nothing to do.
        assertThatThrownBy(connector::start).isInstanceOf(ConnectorStoppedException.class);
        connector.stop(Duration.ofSeconds(1));
        assertThat(connector.state()).isEqualTo(ConnectorState.FAILED);
    }

    @Test
    void aBackgroundStartReportsDownUntilStoppedAndLeavesNoThread() throws Exception {
        Connector connector = Connector.create(unreachable("lazy-start"));

        connector.startInBackground();
        assertThat(connector.state()).isEqualTo(ConnectorState.STARTING);
        assertThat(connector.health().status()).isEqualTo(Health.Status.DOWN);
        assertThat(threadsNamed("warren-lazy-start-starter-")).hasSize(1);
        assertThatCode(connector::startInBackground).doesNotThrowAnyException();

        connector.stop(Duration.ofSeconds(5));

        assertThat(connector.state()).isEqualTo(ConnectorState.STOPPED);
        assertThat(threadsNamed("warren-lazy-start-")).isEmpty();
    }

    @Test
    void serversAndListenersMadeWhileALazyStartConnectsAreTakenAndWaitForTheConnect() throws Exception {
        Connector connector = Connector.create(unreachable("lazy-subscriber"));
        connector.startInBackground();
        try {
            // What an application's own listener does in contextInitialized, right after Warren's.
            RpcServer server = connector.rpcServer(Target.topic("lazy-topic"), new Greeter());
            NotificationListener listener = connector.notificationListener("lazy-pool", false, new NotificationEndpoint() { });
            assertThat(server.isRunning()).isFalse();
            assertThat(listener.isRunning()).isFalse();
            assertThat(connector.state()).isEqualTo(ConnectorState.STARTING);
            assertThat(connector.health().status()).isEqualTo(Health.Status.DOWN);

            // Calls and casts still fail at once, saying why.
            assertThatThrownBy(() -> connector.rpcClient().call(Target.topic("lazy-topic"), "greet", java.util.Map.of("name", "x")))
                    .isInstanceOf(ConnectorStoppedException.class)
                    .hasMessageContaining("lazy-subscriber - the connector is STARTING (not connected yet)");
            assertThatThrownBy(() -> connector.rpcClient().cast(Target.topic("lazy-topic"), "greet", java.util.Map.of("name", "x")))
                    .isInstanceOf(ConnectorStoppedException.class)
                    .hasMessageContaining("not connected yet");

            // A server stopped before the connect never starts; stopping it again is harmless.
            server.stop();
            server.stop();
            assertThat(server.isRunning()).isFalse();
        } finally {
            connector.stop(Duration.ofSeconds(5));
        }
        assertThat(connector.state()).isEqualTo(ConnectorState.STOPPED);
        assertThat(threadsNamed("warren-lazy-subscriber-")).isEmpty();
        // After stop, a server is refused as before.
        assertThatThrownBy(() -> connector.rpcServer(Target.topic("lazy-topic"), new Greeter()))
                .isInstanceOf(ConnectorStoppedException.class)
                .hasMessageContaining("STOPPED");
    }

    @Test
    void aServerMadeBeforeStartIsPartOfTheStartAndFailsWithIt() throws IOException {
        Connector connector = Connector.create(unreachable("eager-with-server"));
        RpcServer server = connector.rpcServer(Target.topic("eager-topic"), new Greeter());
        assertThat(server.isRunning()).isFalse();

        assertThatThrownBy(connector::start).isInstanceOf(WarrenException.class).hasMessageContaining("could not start");

        assertThat(connector.state()).isEqualTo(ConnectorState.FAILED);
        assertThat(server.isRunning()).isFalse();
        assertThat(threadsNamed("warren-eager-with-server-")).isEmpty();
    }

    @Test
    void anEndpointWithoutParameterNamesIsRefusedBeforeAnythingConnectsWithOneErrorLine() throws IOException {
        Connector connector = Connector.create(unreachable("nameless"));
        try (LogLines log = LogLines.capture()) {
            // JDK classes are compiled without -parameters: AtomicBoolean.set(boolean) has no parameter name.
            assertThatThrownBy(() -> connector.rpcServer(Target.topic("nameless"), new java.util.concurrent.atomic.AtomicBoolean()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no name")
                    .hasMessageContaining("java.util.concurrent.atomic.AtomicBoolean.")
                    .hasMessageContaining("@io.warren.Arg(\"name\") or compile with -parameters");
            assertThat(log.matching("ERROR")).singleElement().asString()
                    .contains("nameless - cannot serve Target[topic=nameless")
                    .contains("has no name")
                    .contains("compile with -parameters");
        }
        assertThat(connector.state()).isEqualTo(ConnectorState.NEW);
        connector.stop(Duration.ofSeconds(1));
    }

    /** An endpoint compiled with -parameters, as Warren's build is. */
    public static final class Greeter {
        public String greet(String name) {
            return "hello " + name;
        }
    }

    @Test
    void toStringNamesTheConnectorButNeverThePassword() throws IOException {
        Connector connector = Connector.create(unreachable("printable"));
        assertThat(connector.toString()).contains("printable").contains("NEW").doesNotContain("s3cret-pw");
    }
}
