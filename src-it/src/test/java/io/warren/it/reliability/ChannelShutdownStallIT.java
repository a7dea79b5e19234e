package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.ConnectorState;
import io.warren.PublishException;
import io.warren.RpcClient;
import io.warren.Target;
import io.warren.it.support.CapturedOutput;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.NetworkLink;
import io.warren.it.support.TestBroker;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The stall amqp-client can put between a lost connection and its recovery: the network stalls
 * (bytes held, nothing closed) while a large cast is being written, so the publishing thread sits
 * in a socket write holding its channel's lock. When the heartbeats run out, amqp-client's
 * {@code ChannelManager.handleSignal} waits for each channel's shutdown, and this one needs that
 * lock: it used to wait {@code 1.05 x heartbeat} before it gave up, and only then did recovery
 * begin. Warren now closes the socket as soon as amqp-client reports the connection's failure, so
 * the write fails at once and recovery starts on the heels of the detection.
 */
class ChannelShutdownStallIT {
    private static final int HEARTBEAT_SECONDS = 10;
    /** Far beyond what the kernel's buffers of the link and the client can hold (a few MB). */
    private static final int BIG_CAST_CHARS = 48 * 1024 * 1024;
    /** amqp-client's WARN when a channel's shutdown did not finish within 1.05 x heartbeat. */
    private static final String GAVE_UP_ON_CHANNEL = "Couldn't properly close channel";

    private final TestBroker broker = TestBroker.shared();

    /** Takes casts and forgets them. */
    public static final class Sink {
        public void take(String blob) {
        }

        public String echo(String text) {
            return text;
        }
    }

    @Test
    void aWriteBlockedOnAStalledLinkDoesNotHoldRecoveryForAHeartbeat() throws Exception {
        String name = CoreFixtures.uniqueName("stall");
        String exchange = name + "-exchange";
        Target target = Target.topic(name + "-topic");
        Map<ConnectorState, Long> firstEntered = new ConcurrentHashMap<>();

        Connector server = Connector.create(CoreFixtures.config(broker, name + "-server", "control_exchange", exchange));
        try (NetworkLink link = NetworkLink.start(broker.host(), broker.port());
             CapturedOutput output = CapturedOutput.start()) {
            server.start();
            server.rpcServer(target.server("s1"), new Sink());
            Connector client = Connector.builder(CoreFixtures.configVia(broker, link.port(), name,
                            "control_exchange", exchange,
                            "heartbeat_timeout_threshold", Integer.toString(HEARTBEAT_SECONDS),
                            "rabbit_retry_interval", "1",
                            "warren_max_message_bytes", Integer.toString(64 * 1024 * 1024),
                            // the big cast is to end by the connection's loss, not by its own time-out
                            "warren_publish_timeout_ms", "120000"))
                    .stateListener((c, from, to) -> firstEntered.putIfAbsent(to, System.nanoTime()))
                    .build();
            try {
                client.start();
                assertThat(client.stats().negotiatedHeartbeatSeconds()).isEqualTo(HEARTBEAT_SECONDS);
                RpcClient rpc = client.rpcClient();
                CallOptions call = CallOptions.defaults().timeout(Duration.ofSeconds(30));
                assertThat(rpc.call(target, "echo", Map.of("text", "before"), call)).isEqualTo("before");
                firstEntered.clear();

                link.freeze();
                long frozenAt = System.nanoTime();
                char[] blob = new char[BIG_CAST_CHARS];
                Arrays.fill(blob, 'x');
                AtomicReference<CompletableFuture<Void>> bigCast = new AtomicReference<>();
                Thread caster = new Thread(() -> {
                    try {
                        bigCast.set(rpc.castAsync(target, "take", Map.of("blob", new String(blob)), CallOptions.defaults()));
                    } catch (RuntimeException e) {
                        bigCast.set(CompletableFuture.failedFuture(e));
                    }
                }, "it-stall-big-cast");
                caster.setDaemon(true);
                caster.start();
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "a thread blocked in a socket write inside basicPublish",
                        () -> blockedPublisher().isPresent());
                String writer = blockedPublisher().orElse("?");

                // The consume connection has no write pending: it is lost as soon as the heartbeats run
                // out. The publish connection is lost when its channels have shut down, and the big cast
                // fails with it. The link stays frozen until then, so nothing but the connection's own
                // shutdown can free the blocked write.
                CoreFixtures.waitUntil(Duration.ofSeconds(20L * HEARTBEAT_SECONDS), "the big cast ended",
                        () -> bigCast.get() != null && bigCast.get().isDone());
                double castEndedAfter = seconds(System.nanoTime() - frozenAt);
                double recoveringAfter = seconds(firstEntered.get(ConnectorState.RECOVERING) - frozenAt);
                Throwable failure = failureOf(bigCast.get());
                assertThat(failure).isInstanceOf(PublishException.class);
                assertThat(((PublishException) failure).reason()).isEqualTo(PublishException.Reason.CONNECTION_LOST);
                link.thaw(); // new connections get through again

                long thawedAt = System.nanoTime();
                CoreFixtures.waitUntil(Duration.ofSeconds(60), "RUNNING again after the link thawed",
                        () -> client.state() == ConnectorState.RUNNING);
                double runningAfterThaw = seconds(System.nanoTime() - thawedAt);
                assertThat(rpc.call(target, "echo", Map.of("text", "after"), call)).isEqualTo("after");

                long gaveUp = output.linesContaining(GAVE_UP_ON_CHANNEL);
                System.out.printf("WARREN-RELIABILITY: channel shutdown stall (%s, heartbeat %d s): writer %s blocked; "
                                + "first connection lost (RECOVERING) %.2f s after the freeze (%.2f x heartbeat); the "
                                + "publish connection's shutdown done and the big cast failed as CONNECTION_LOST by "
                                + "%.2f s (%.2f x heartbeat); amqp-client gave up on %d channel shutdown(s); RUNNING "
                                + "%.2f s after the thaw%n", broker.kind().switchValue(), HEARTBEAT_SECONDS, writer,
                        recoveringAfter, recoveringAfter / HEARTBEAT_SECONDS, castEndedAfter,
                        castEndedAfter / HEARTBEAT_SECONDS, gaveUp, runningAfterThaw);
                // No channel held the connection's shutdown until amqp-client's 1.05 x heartbeat ran out ...
                assertThat(gaveUp).as("amqp-client's \"" + GAVE_UP_ON_CHANNEL + "\" warnings").isZero();
                // ... so the publish connection was shut down, and could recover, within the bound of a
                // silent link alone (2.25 x heartbeat after the last frame read, see SilentNetworkLossIT),
                // not 1.05 x heartbeat later.
                assertThat(castEndedAfter).as("seconds from the freeze to the publish connection's loss")
                        .isLessThan(3.0 * HEARTBEAT_SECONDS);
            } finally {
                client.stop(Duration.ofSeconds(15));
            }
        } finally {
            server.stop(Duration.ofSeconds(15));
            ReliabilityFixtures.deleteQuietly(broker, List.of(target.topic(), target.topic() + ".s1"), List.of(exchange));
        }
        assertThat(CoreFixtures.liveThreads(name)).as("threads of both connectors after stop").isEmpty();
    }

    /** The name of a thread inside amqp-client's basicPublish and blocked writing to a socket, if any. */
    private static Optional<String> blockedPublisher() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            boolean writing = false;
            boolean publishing = false;
            for (StackTraceElement frame : e.getValue()) {
                writing |= frame.getClassName().contains("SocketImpl") || frame.getClassName().contains("SocketOutputStream");
                publishing |= frame.getClassName().endsWith("ChannelN") && frame.getMethodName().equals("basicPublish");
            }
            if (writing && publishing) {
                return Optional.of(e.getKey().getName());
            }
        }
        return Optional.empty();
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            Object value = future.get(1, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
