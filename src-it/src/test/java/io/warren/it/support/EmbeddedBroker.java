package io.warren.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.SystemConfig;

/**
 * An in-JVM Qpid Broker-J speaking AMQP 0-9-1 on 127.0.0.1, user guest/guest, in-memory stores.
 *
 * <p>Settings chosen so that Warren's code sees RabbitMQ-like behaviour where Broker-J can give it:
 * <ul>
 *   <li>{@code queue.behaviourOnUnknownDeclareArgument=LOG}: oslo.messaging declares its reply and
 *   fanout queues with {@code x-expires} (and may ask for {@code x-queue-type}); Broker-J's default
 *   answers any unknown {@code x-} argument with connection.close 542, killing every channel of the
 *   connection. LOG accepts the declare and writes one WARN naming the dropped argument, so a reader
 *   of a test log can see that expiry/TTL/quorum semantics did not exist on this broker (IGNORE would
 *   hide it). Tests that depend on those semantics call {@link TestBroker#requireRabbitMq(String)}.</li>
 *   <li>{@code queue.maximumDeliveryAttempts=1}: reject/nack with requeue=false drops the message,
 *   as RabbitMQ does (Broker-J redelivers it by default).</li>
 *   <li>Small I/O thread pools and {@code qpid.compact_memory_interval=0}: 12 threads instead of
 *   ~79, and a stop in milliseconds instead of a second.</li>
 * </ul>
 * Not supported by Broker-J (use {@code requireRabbitMq}): direct reply-to, connection.blocked,
 * dead-lettering via {@code x-dead-letter-exchange}, exchange-to-exchange bindings, consumer cancel
 * notifications; a mandatory unroutable publish is nacked (RabbitMQ acks it after the return).
 *
 * <p>{@link #start()} picks an ephemeral port; {@link #start(int)} re-binds a known one, which is
 * how a test restarts the broker under a client that recovers automatically.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final String CONFIG = "embedded-broker-config.json";
    private static final String SYSTEM_PROPERTIES = "embedded-broker-system.properties";

    private final SystemLauncher launcher;
    private final Path workDir;
    private final int port;

    private EmbeddedBroker(SystemLauncher launcher, Path workDir, int port) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.port = port;
    }

    /** Starts a broker on an ephemeral port of 127.0.0.1. */
    public static EmbeddedBroker start() {
        return start(0);
    }

    /**
     * Starts a broker on the given port of 127.0.0.1 (0 = ephemeral).
     *
     * @throws IllegalStateException when the broker did not start or could not bind the port
     */
    public static EmbeddedBroker start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (ephemeral) or 1..65535, was " + port);
        }
        installUncaughtHandlerIfMissing();
        Path work = createWorkDir();
        Map<String, String> context = new HashMap<>();
        context.put("qpid.amqp_port", Integer.toString(port));
        context.put("QPID_WORK", work.toString());
        context.put("qpid.work_dir", work.toString());
        context.put("queue.behaviourOnUnknownDeclareArgument", "LOG");
        context.put("queue.maximumDeliveryAttempts", "1");
        context.put("virtualhost.connectionThreadPool.size", "4");
        context.put("virtualhost.connectionThreadPool.numberOfSelectors", "1");
        context.put("qpid.port.amqp.threadPool.size", "2");
        context.put("qpid.port.amqp.threadPool.numberOfSelectors", "1");
        context.put("qpid.compact_memory_interval", "0");

        Map<String, Object> attributes = new HashMap<>();
        attributes.put("type", "Memory");
        // file:/jar: URLs, not classpath: (Broker-J's handler only works on the system class loader).
        attributes.put("initialConfigurationLocation", resource(CONFIG));
        attributes.put("initialSystemPropertiesLocation", resource(SYSTEM_PROPERTIES));
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("context", context);

        AtomicReference<SystemConfig<?>> systemConfig = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> config) {
                systemConfig.set(config);
            }

            @Override
            public void errorOnStartup(RuntimeException e) {
                failure.set(e);
            }
        });
        try {
            // startup() logs and swallows start-up failures; they arrive in errorOnStartup.
            launcher.startup(attributes);
        } catch (Exception e) {
            stopQuietly(launcher, work);
            throw new IllegalStateException("embedded Broker-J failed to start on port " + port, e);
        }
        if (failure.get() != null || systemConfig.get() == null) {
            stopQuietly(launcher, work);
            throw new IllegalStateException("embedded Broker-J failed to start on port " + port, failure.get());
        }
        Broker<?> broker = (Broker<?>) systemConfig.get().getContainer();
        Port<?> amqp = broker.getChildByName(Port.class, "AMQP");
        int bound = amqp == null ? -1 : amqp.getBoundPort();
        if (bound <= 0) {
            // A port that cannot bind is not a start-up error for Broker-J: the port is just ERRORED.
            stopQuietly(launcher, work);
            throw new IllegalStateException("embedded Broker-J could not bind 127.0.0.1:" + port
                    + " (port state " + (amqp == null ? "missing" : amqp.getState()) + ")");
        }
        return new EmbeddedBroker(launcher, work, bound);
    }

    /** The bound AMQP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code amqp://guest:guest@127.0.0.1:PORT} for amqp-client. */
    public String amqpUri() {
        return "amqp://guest:guest@127.0.0.1:" + port;
    }

    /** Stops the broker (closing every client connection) and deletes its work directory. */
    @Override
    public void close() {
        stopQuietly(launcher, workDir);
    }

    @Override
    public String toString() {
        return "EmbeddedBroker[127.0.0.1:" + port + "]";
    }

    private static void stopQuietly(SystemLauncher launcher, Path work) {
        try {
            launcher.shutdown(); // bounded by Broker-J itself (30 s)
        } catch (RuntimeException e) {
            System.err.println("WARREN-IT: embedded Broker-J stop failed: " + e);
        } finally {
            deleteRecursively(work);
        }
    }

    private static Path createWorkDir() {
        try {
            Path work = Files.createTempDirectory("warren-it-qpid-");
            // Broker-J writes nothing there with this set-up; if the JVM ends without close(), the
            // empty directory still goes.
            work.toFile().deleteOnExit();
            return work;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for the embedded broker", e);
        }
    }

    private static String resource(String name) {
        URL url = EmbeddedBroker.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource io/warren/it/support/" + name + " is missing");
        }
        return url.toExternalForm();
    }

    /**
     * Broker-J's housekeeping halts the JVM (Runtime.halt) when a task throws and no default handler
     * is set; a handler that prints keeps a test JVM alive to report the failure.
     */
    private static void installUncaughtHandlerIfMissing() {
        if (Thread.getDefaultUncaughtExceptionHandler() == null) {
            Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
                System.err.println("WARREN-IT: uncaught exception in thread " + thread.getName());
                error.printStackTrace();
            });
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
