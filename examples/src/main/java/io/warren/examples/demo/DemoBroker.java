package io.warren.examples.demo;

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
 * Apache Qpid Broker-J in this JVM, so the demo (and the tests, when there is no RabbitMQ) need no
 * broker of their own: AMQP 0-9-1 on 127.0.0.1, guest/guest, memory only.
 *
 * <p>Settings chosen so that Warren sees RabbitMQ-like behaviour where Broker-J can give it:
 * <ul>
 *   <li>{@code queue.behaviourOnUnknownDeclareArgument=LOG}: oslo.messaging declares its reply and
 *   fanout queues with {@code x-expires}; Broker-J's default answers any unknown {@code x-} argument
 *   with connection.close 542, killing every channel of the connection. LOG accepts the declare and
 *   writes one WARN naming the dropped argument, so a log shows that expiry did not exist here.</li>
 *   <li>{@code queue.maximumDeliveryAttempts=1}: reject/nack with requeue=false drops the message,
 *   as RabbitMQ does (Broker-J redelivers it by default).</li>
 *   <li>Small I/O thread pools and {@code qpid.compact_memory_interval=0}: 12 threads instead of
 *   ~79, and a stop in milliseconds instead of a second.</li>
 * </ul>
 * Not in Broker-J: direct reply-to, connection.blocked, dead-lettering, exchange-to-exchange
 * bindings, consumer cancel notifications; it reads the AMQP {@code expiration} as an absolute
 * time (so calls run with {@code warren_call_expiration=false}).
 */
public final class DemoBroker implements AutoCloseable {
    private final SystemLauncher launcher;
    private final Path work;
    private final int port;

    private DemoBroker(SystemLauncher launcher, Path work, int port) {
        this.launcher = launcher;
        this.work = work;
        this.port = port;
    }

    /** Starts a broker on an ephemeral port of 127.0.0.1. */
    public static DemoBroker start() {
        return start(0);
    }

    /**
     * Starts a broker on the given port of 127.0.0.1 (0: ephemeral); a known port is how a test
     * restarts the broker under a client that recovers by itself.
     *
     * @throws IllegalStateException when the broker did not start or could not bind the port
     */
    public static DemoBroker start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (ephemeral) or 1..65535, was " + port);
        }
        Path work;
        try {
            work = Files.createTempDirectory("warren-broker-j-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for the embedded broker", e);
        }
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
        // file:/jar: URLs: Broker-J's classpath: scheme works only on the system class loader.
        attributes.put("initialConfigurationLocation", resource("/embedded-broker-config.json"));
        attributes.put("initialSystemPropertiesLocation", resource("/embedded-broker-system.properties"));
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("context", context);
        AtomicReference<SystemConfig<?>> system = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> config) {
                system.set(config);
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
            stop(launcher, work);
            throw new IllegalStateException("the embedded broker failed to start on port " + port, e);
        }
        if (failure.get() != null || system.get() == null) {
            stop(launcher, work);
            throw new IllegalStateException("the embedded broker failed to start on port " + port, failure.get());
        }
        Port<?> amqp = ((Broker<?>) system.get().getContainer()).getChildByName(Port.class, "AMQP");
        int bound = amqp == null ? -1 : amqp.getBoundPort();
        if (bound <= 0) {
            // A port that cannot bind is not a start-up error for Broker-J: the port is just ERRORED.
            stop(launcher, work);
            throw new IllegalStateException("the embedded broker could not bind 127.0.0.1:" + port
                    + " (port state " + (amqp == null ? "missing" : amqp.getState()) + ")");
        }
        withoutOwnShutdownHook((Broker<?>) system.get().getContainer());
        return new DemoBroker(launcher, work, bound);
    }

    /**
     * Broker-J registers a JVM shutdown hook that stops the broker. Hooks run concurrently, so on
     * SIGTERM it closed every client connection while the demo was still stopping the webapp and
     * the worker (their connections "lost ... recovering", then a second broker stop that failed).
     * The demo's owner stops the broker itself, last; the hook has no public switch, so it is
     * taken out by its field. If that ever fails, the broker keeps its hook: noisier, not broken.
     */
    private static void withoutOwnShutdownHook(Broker<?> broker) {
        for (Class<?> c = broker.getClass(); c != null; c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field hook = c.getDeclaredField("_shutdownHook");
                hook.setAccessible(true);
                Runtime.getRuntime().removeShutdownHook((Thread) hook.get(broker));
                return;
            } catch (NoSuchFieldException e) {
                // declared further up, if at all
            } catch (ReflectiveOperationException | RuntimeException e) {
                return; // Broker-J changed: it keeps its own hook
            }
        }
    }

    /** @return the bound AMQP port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** Stops the broker (closing every client connection) and deletes its work directory. */
    @Override
    public void close() {
        stop(launcher, work);
    }

    @Override
    public String toString() {
        return "Broker-J[127.0.0.1:" + port + "]";
    }

    private static void stop(SystemLauncher launcher, Path work) {
        try {
            launcher.shutdown(); // bounded by Broker-J itself (30 s)
        } catch (RuntimeException e) {
            System.err.println("[demo] embedded broker stop failed: " + e);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("[demo] could not delete " + work + ": " + e);
            }
        }
    }

    private static String resource(String name) {
        URL url = DemoBroker.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("resource " + name + " is missing from the examples jar");
        }
        return url.toExternalForm();
    }
}
