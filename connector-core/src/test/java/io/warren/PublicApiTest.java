package io.warren;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API is a decision, not an accident: every type a user of connector-core can reach
 * (public, in a package module-info.java exports) is listed here, and so is every type that is
 * public only because another of Warren's packages calls it (public, in a package exported to
 * nobody). A new public type fails this test until it is added to one list, on purpose, or made
 * package-private.
 */
class PublicApiTest {

    /** What a user touches: the connector, its configuration, RPC and notifications, health, exceptions. */
    private static final Set<String> API = Set.of(
            "io.warren.Arg",
            "io.warren.BrokerBlockedException",
            "io.warren.CallOptions",
            "io.warren.ChannelPoolExhaustedException",
            "io.warren.ConfigException",
            "io.warren.ConfigOption",
            "io.warren.Connector",
            "io.warren.Connector$Builder",
            "io.warren.ConnectorConfig",
            "io.warren.ConnectorConfig$Builder",
            "io.warren.ConnectorMXBean",
            "io.warren.ConnectorState",
            "io.warren.ConnectorStats",
            "io.warren.ConnectorStats$Builder",
            "io.warren.ConnectorStoppedException",
            "io.warren.EndpointError",
            "io.warren.FailoverStrategy",
            "io.warren.IncomingRequest",
            "io.warren.IncomingRequest$Builder",
            "io.warren.Health",
            "io.warren.Health$Status",
            "io.warren.MessageTooLargeException",
            "io.warren.MessagingTimeout",
            "io.warren.NotificationEndpoint",
            "io.warren.NotificationEndpoint$Result",
            "io.warren.NotificationFilter",
            "io.warren.NotificationListener",
            "io.warren.Notifier",
            "io.warren.Notifier$Priority",
            "io.warren.PublishException",
            "io.warren.PublishException$Reason",
            "io.warren.RemoteError",
            "io.warren.ReplyMode",
            "io.warren.RequestContext",
            "io.warren.RpcClient",
            "io.warren.RpcEndpoint",
            "io.warren.RpcMethod",
            "io.warren.RpcServer",
            "io.warren.StateListener",
            "io.warren.Target",
            "io.warren.TransportUrl",
            "io.warren.TransportUrl$Host",
            "io.warren.WarrenException",
            "io.warren.jmx.ConnectorJmx");

    /** Public for Warren's own packages only: the engine, exported to nobody. */
    private static final Set<String> ENGINE = Set.of(
            "io.warren.amqp.ConnectorRuntime",
            "io.warren.amqp.ConnectorRuntime$StateSink",
            "io.warren.amqp.ConnectorRuntime$TopologyWork",
            "io.warren.amqp.ConnectorRuntime$ConnectWork",
            "io.warren.amqp.Consumers",
            "io.warren.amqp.Consumers$ChannelWork",
            "io.warren.amqp.ConsumingService",
            "io.warren.amqp.OutboundMessage",
            "io.warren.amqp.OwnedService",
            "io.warren.amqp.Publisher",
            "io.warren.amqp.ResumableConsumer",
            "io.warren.metrics.MetricsRecorder",
            "io.warren.metrics.MicrometerRecorder",
            "io.warren.observation.MessagingObservations",
            "io.warren.notify.OsloNotificationListener",
            "io.warren.notify.OsloNotifier",
            "io.warren.rpc.OsloRpcClient",
            "io.warren.rpc.OsloRpcServer",
            "io.warren.wire.JacksonCodec",
            "io.warren.wire.JsonCodec",
            "io.warren.wire.Notification",
            "io.warren.wire.OsloEnvelope",
            "io.warren.wire.OsloTopology",
            "io.warren.wire.RecentIds",
            "io.warren.wire.RejectionLog",
            "io.warren.wire.RpcFailure",
            "io.warren.wire.RpcReply",
            "io.warren.wire.RpcRequest",
            "io.warren.wire.WireException",
            "io.warren.wire.WireException$Kind");

    @Test
    void everyPublicTypeInAnExportedPackageIsOnTheApiList() throws Exception {
        Path classes = classesOf(Connector.class);
        Set<String> exported = exportedPackages(classes);
        assertThat(exported).as("packages module-info.java exports to everyone").containsExactlyInAnyOrder(
                "io.warren", "io.warren.jmx");

        Set<String> reachable = publicTypes(classes, exported::contains);
        assertThat(reachable)
                .as("public types in exported packages: a new one is API from now on; add it to API in this"
                        + " test if users are meant to touch it, else make it package-private or move it to an"
                        + " engine package")
                .containsExactlyInAnyOrderElementsOf(API);
    }

    @Test
    void everyPublicTypeOutsideTheExportedPackagesIsOnTheEngineList() throws Exception {
        Path classes = classesOf(Connector.class);
        Set<String> exported = exportedPackages(classes);

        Set<String> engine = publicTypes(classes, p -> !exported.contains(p));
        assertThat(engine)
                .as("public types in packages exported to nobody: public only because another of Warren's"
                        + " packages calls them; add a new one to ENGINE in this test, or make it package-private")
                .containsExactlyInAnyOrderElementsOf(ENGINE);
    }

    static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The packages the compiled module-info.class exports to everyone (not the qualified exports). */
    static Set<String> exportedPackages(Path classes) throws IOException {
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in).exports().stream()
                    .filter(e -> !e.isQualified())
                    .map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Binary names of the types in {@code classes} that code in another package can name: public, and every enclosing type public. */
    static Set<String> publicTypes(Path classes, java.util.function.Predicate<String> inPackage) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String relative = classes.relativize(f).toString().replace('\\', '/');
                if (relative.endsWith("module-info.class")) {
                    continue;
                }
                String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                if (inPackage.test(type.getPackageName()) && reachable(type)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private static boolean reachable(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }
}
