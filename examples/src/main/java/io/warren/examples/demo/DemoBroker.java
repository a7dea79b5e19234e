package io.warren.examples.demo;

import java.io.IOException;
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
 * Apache Qpid Broker-J in this JVM, so the demo needs no RabbitMQ: AMQP 0-9-1 on an ephemeral
 * loopback port, guest/guest, memory only, lean thread pools. oslo's {@code x-expires} queue
 * arguments are logged and ignored (Broker-J does not know them).
 */
final class DemoBroker implements AutoCloseable {
    private final SystemLauncher launcher;
    private final Path work;
    private final int port;

    private DemoBroker(SystemLauncher launcher, Path work, int port) {
        this.launcher = launcher;
        this.work = work;
        this.port = port;
    }

    static DemoBroker start() throws IOException {
        Path work = Files.createTempDirectory("warren-demo-broker-");
        Map<String, String> context = new HashMap<>();
        context.put("qpid.amqp_port", "0");
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
        attributes.put("initialConfigurationLocation",
                DemoBroker.class.getResource("/embedded-broker-config.json").toExternalForm());
        attributes.put("initialSystemPropertiesLocation",
                DemoBroker.class.getResource("/embedded-broker-system.properties").toExternalForm());
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
            launcher.startup(attributes);
        } catch (Exception e) {
            throw new IOException("the embedded broker failed to start", e);
        }
        if (failure.get() != null || system.get() == null) {
            launcher.shutdown();
            throw new IOException("the embedded broker failed to start", failure.get());
        }
        Port<?> amqp = ((Broker<?>) system.get().getContainer()).getChildByName(Port.class, "AMQP");
        int port = amqp == null ? -1 : amqp.getBoundPort();
        if (port <= 0) {
            launcher.shutdown();
            throw new IOException("the embedded broker could not bind a loopback port");
        }
        return new DemoBroker(launcher, work, port);
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        launcher.shutdown();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
