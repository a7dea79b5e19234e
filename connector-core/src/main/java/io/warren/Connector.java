package io.warren;

import io.warren.amqp.ConnectorRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.warren.metrics.MetricsRecorder;
import io.warren.observation.MessagingObservations;
import io.warren.metrics.MicrometerRecorder;
import io.warren.notify.OsloNotificationListener;
import io.warren.notify.OsloNotifier;
import io.warren.rpc.OsloRpcClient;
import io.warren.rpc.OsloRpcServer;
import io.warren.wire.JacksonCodec;
import io.warren.wire.OsloEnvelope;
import java.util.Map;
import java.util.function.Supplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The single owner of everything one application instance (one webapp) needs to talk to
 * RabbitMQ: its two broker connections (one to publish, one to consume), the publishing channel
 * pool, every thread (all named {@code warren-<name>-<role>-<n>}), and the RPC servers, clients,
 * notifiers and listeners built on them.
 *
 * <pre>{@code
 * Connector connector = Connector.create(ConnectorConfig.fromUrl("rabbit://guest:guest@localhost:5672/"));
 * connector.start();
 * ...
 * connector.stop(Duration.ofSeconds(10));   // nothing it made is left running
 * }</pre>
 *
 * <p>{@link #start()} and {@link #stop(Duration)} are idempotent. A stopped connector stays
 * stopped: it never reconnects by itself and refuses work with {@link ConnectorStoppedException}.
 * Heartbeats run on the connector's own scheduler, whatever the application's threads do.
 */
public final class Connector implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Connector.class);
    private final ConnectorRuntime runtime;
    private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
    private final OsloEnvelope envelope;
    private final Supplier<Map<String, Object>> requestContext;
    private final MessagingObservations observations;
    private volatile OsloRpcClient rpcClient;

    private Connector(Builder builder) {
        this.listeners.addAll(builder.listeners);
        MetricsRecorder metrics = builder.metrics.apply(builder.config);
        this.runtime = new ConnectorRuntime(builder.config, metrics, this::fire, builder.pidSource, builder.owner);
        this.envelope = new OsloEnvelope(new JacksonCodec(), builder.config.maxMessageBytes());
        this.requestContext = builder.requestContext;
        this.observations = MessagingObservations.of(builder.observationRegistry);
    }

    /**
     * @param config the validated configuration
     * @return a new connector in state NEW
     */
    public static Connector create(ConnectorConfig config) {
        return builder(config).build();
    }

    /**
     * @param config the validated configuration
     * @return a builder for the optional parts (state listeners, metrics)
     */
    public static Builder builder(ConnectorConfig config) {
        return new Builder(config);
    }

    /** @return the connector's name (from the configuration) */
    public String name() {
        return runtime.name();
    }

    /** @return the configuration this connector was built from */
    public ConnectorConfig config() {
        return runtime.config();
    }

    /** @return the current state */
    public ConnectorState state() {
        return runtime.state();
    }

    /**
     * Connects and gets ready, or fails with a {@link WarrenException} naming why (state FAILED,
     * nothing left behind). Does nothing when already started.
     */
    public void start() {
        runtime.start();
    }

    /**
     * Connects in the background, retrying with oslo's back-off until it succeeds or the
     * connector is stopped; returns at once. Until connected, the state is STARTING, health is
     * DOWN, and calls, casts and notifications are refused at once with a
     * {@link ConnectorStoppedException} ("not connected yet"); RPC servers and notification
     * listeners made meanwhile start on the connect.
     */
    public void startInBackground() {
        runtime.startInBackground();
    }

    /**
     * Stops, in order and within {@code timeout}: refuses new work, drains in-flight work, closes
     * channels and connections, shuts the executors down and joins every thread it made.
     * Does nothing when already stopped.
     *
     * @param timeout the bound on the whole stop
     */
    public void stop(Duration timeout) {
        runtime.stop(Objects.requireNonNull(timeout, "timeout"));
    }

    /** Stops within {@code warren_shutdown_timeout_ms}. */
    @Override
    public void close() {
        stop(config().shutdownTimeout());
    }

    /** @param listener told about every later state change */
    public void addStateListener(StateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener no longer told */
    public void removeStateListener(StateListener listener) {
        listeners.remove(listener);
    }

    /** @return counters and facts for JMX and health endpoints; secret-free */
    public ConnectorStats stats() {
        return runtime.stats();
    }

    /** Calls registered and waiting for a reply; a test seam (EngineAccess) for leak checks. */
    int pendingCalls() {
        OsloRpcClient client = rpcClient;
        return client == null ? 0 : client.pendingCalls();
    }

    /** Publishes waiting for their confirm; a test seam (EngineAccess) for leak checks. */
    int unconfirmedPublishes() {
        return runtime.unconfirmedPublishes();
    }

    /** @return UP, DEGRADED or DOWN, with reasons */
    public Health health() {
        return runtime.health();
    }

    /**
     * Drops both connections so that amqp-client's recovery opens new ones (an operator's tool,
     * e.g. to move to a recovered cluster node); work in flight fails as on any connection loss.
     */
    public void reconnect() {
        runtime.ensureAcceptingWork();
        runtime.reconnect();
    }

    /** The engine, for Warren's own packages; not part of the public API. */
    ConnectorRuntime runtime() {
        return runtime;
    }

    private void fire(ConnectorState from, ConnectorState to) {
        for (StateListener l : listeners) {
            l.stateChanged(this, from, to);
        }
    }

    @Override
    public String toString() {
        return "Connector[" + name() + ", " + state() + ", " + config().transportUrl() + "]";
    }

    // --- RPC and notifications ---

    /**
     * @return the connector's RPC client (one per connector; thread-safe). Its reply queue is
     *         declared on the first call.
     */
    public RpcClient rpcClient() {
        OsloRpcClient client = rpcClient;
        if (client == null) {
            synchronized (this) {
                if (rpcClient == null) {
                    rpcClient = new OsloRpcClient(runtime, envelope, requestContext, observations);
                }
                client = rpcClient;
            }
        }
        return client;
    }

    /**
     * Starts an RPC server on {@code target} (its server name defaults to the host name) that
     * dispatches to {@code endpoints}. The connector stops it before closing its connections.
     *
     * <p>The endpoints are checked first, before anything reaches the broker: two methods of one
     * RPC name, or a parameter without a name (compile with {@code -parameters} or use
     * {@link Arg}), is an {@link IllegalArgumentException} naming the method, also logged at ERROR.
     * Before the first connect (the connector NEW, or STARTING while {@link #startInBackground()}
     * connects) the server is taken and starts right after the connect; {@link RpcServer#isRunning()}
     * says false until then. A failure to start it then fails {@link #start()}, or, after a
     * background connect, is logged at ERROR and shown as the last error.
     *
     * @param target the topic, and the server name (the host name when null)
     * @param endpoints plain objects whose public methods (or those marked {@link RpcMethod}) are
     *        callable; {@link RpcEndpoint} gives their namespace and version
     * @return the running server (or the one waiting for the first connect); {@link RpcServer#stop()}
     *         stops it alone
     * @throws IllegalArgumentException when an endpoint cannot be served
     * @throws WarrenException when the broker refuses the topology (e.g. a Python peer declared
     *         the queues with other flags)
     * @throws ConnectorStoppedException when the connector is stopping, stopped or failed
     */
    public RpcServer rpcServer(Target target, Object... endpoints) {
        ensureTakesServices();
        OsloRpcServer server;
        try {
            server = new OsloRpcServer(runtime, envelope, target, List.of(endpoints), observations);
        } catch (IllegalArgumentException e) {
            // The endpoint classes are checked here, before anything is declared: a class to fix.
            LOG.error("{} - cannot serve {}: {}", name(), target, e.getMessage());
            throw e;
        }
        if (runtime.startOnConnect(server, "RPC server on " + target, () -> server.startUnlessStopped(server::start))) {
            return server;
        }
        runtime.ensureAcceptingWork();
        try {
            server.start();
        } catch (java.io.IOException e) {
            throw new WarrenException(name() + " - could not start the RPC server on " + target + ": " + brokerReason(e), e);
        }
        return server;
    }

    /**
     * @param publisherId e.g. {@code compute.host1}
     * @return a notifier using the configured drivers and topics
     */
    public Notifier notifier(String publisherId) {
        return notifier(publisherId, config().notificationTopics().toArray(new String[0]));
    }

    /**
     * A notifier for other topics than the {@code topics} option, e.g. a service's own
     * {@code versioned_notifications}; drivers and exchange are the connector's.
     *
     * @param publisherId e.g. {@code compute.host1}
     * @param topics one or more topics; each notification goes to {@code <topic>.<priority>} of every one
     * @return a notifier using the configured drivers and these topics
     * @throws IllegalArgumentException when no topic is given or one is blank
     */
    public Notifier notifier(String publisherId, String... topics) {
        Objects.requireNonNull(publisherId, "publisherId");
        if (topics == null || topics.length == 0) {
            throw new IllegalArgumentException("notifier(" + publisherId + ", topics...) needs at least one topic");
        }
        for (String topic : topics) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("notifier(" + publisherId + ", topics...): a topic is "
                        + (topic == null ? "null" : "blank") + " in " + java.util.Arrays.toString(topics));
            }
        }
        runtime.ensureAcceptingWork();
        return new OsloNotifier(runtime, envelope, publisherId, List.of(topics), observations);
    }

    /**
     * Starts a notification listener on the configured notification topics of {@code control_exchange}.
     *
     * @param pool a pool name (listeners of one pool share the messages), or null
     * @param allowRequeue whether {@code REQUEUE} (or an exception) puts a message back
     * @param endpoints the endpoints; each sees the priorities it overrides, through its filter
     * @return the running listener
     * @throws WarrenException when the broker refuses the topology
     */
    public NotificationListener notificationListener(String pool, boolean allowRequeue, NotificationEndpoint... endpoints) {
        return notificationListener(null, config().notificationTopics(), pool, allowRequeue, endpoints);
    }

    /**
     * Starts a notification listener. Before the first connect (the connector NEW, or STARTING
     * while {@link #startInBackground()} connects) it is taken and starts right after the connect,
     * as an {@link #rpcServer RPC server} does.
     *
     * @param exchange the exchange (null: {@code control_exchange}); e.g. another service's
     * @param topics the notification topics
     * @param pool a pool name, or null
     * @param allowRequeue whether {@code REQUEUE} (or an exception) puts a message back
     * @param endpoints the endpoints; each sees the priorities it overrides, through its filter
     * @return the running listener (or the one waiting for the first connect)
     * @throws WarrenException when the broker refuses the topology
     * @throws ConnectorStoppedException when the connector is stopping, stopped or failed
     */
    public NotificationListener notificationListener(String exchange, List<String> topics, String pool,
                                                     boolean allowRequeue, NotificationEndpoint... endpoints) {
        ensureTakesServices();
        OsloNotificationListener listener = new OsloNotificationListener(runtime, envelope, exchange, topics, pool,
                allowRequeue, List.of(endpoints), observations);
        if (runtime.startOnConnect(listener, "notification listener on " + topics,
                () -> listener.startUnlessStopped(listener::start))) {
            return listener;
        }
        runtime.ensureAcceptingWork();
        try {
            listener.start();
        } catch (java.io.IOException e) {
            throw new WarrenException(name() + " - could not start the notification listener on " + topics + ": "
                    + brokerReason(e), e);
        }
        return listener;
    }

    /**
     * Servers and listeners are taken before the first connect too (NEW, or STARTING while a
     * background start connects); after it, only while the connector takes work.
     */
    private void ensureTakesServices() {
        ConnectorState s = state();
        if (s != ConnectorState.NEW && s != ConnectorState.STARTING) {
            runtime.ensureAcceptingWork();
        }
    }

    /**
     * amqp-client's IOException for a refused declaration has no message of its own; the broker's
     * reason (e.g. PRECONDITION_FAILED - inequivalent arg 'durable') is in its cause.
     */
    private static String brokerReason(java.io.IOException e) {
        if (e.getCause() instanceof com.rabbitmq.client.ShutdownSignalException signal
                && signal.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close) {
            return close.getReplyCode() + " " + close.getReplyText();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    // --- end of RPC and notifications ---

    /** Assembles a connector; everything but the configuration is optional. */
    public static final class Builder {
        private final ConnectorConfig config;
        private final List<StateListener> listeners = new ArrayList<>();
        private java.util.function.Function<ConnectorConfig, MetricsRecorder> metrics = c -> MetricsRecorder.noop();
        private LongSupplier pidSource = () -> ProcessHandle.current().pid();
        private Supplier<Map<String, Object>> requestContext = Map::of;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private String owner;

        private Builder(ConnectorConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * @param listener told about every state change, from the first (NEW to STARTING) on
         * @return this builder
         */
        public Builder stateListener(StateListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Reports Warren's meters ({@code warren.*}, and amqp-client's {@code rabbitmq.*}), tagged
         * {@code warren.connector=<name>}, to the application's registry. Stop removes them again;
         * the registry itself stays the application's and is never closed by Warren.
         *
         * @param registry the application's Micrometer registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            this.metrics = c -> new MicrometerRecorder(registry, c.name());
            return this;
        }

        /**
         * Observes every call, cast, fanout cast, reply and notification sent, and every RPC
         * request served and notification handled, in the application's Micrometer
         * {@code ObservationRegistry}; with a tracer bridge in it, each becomes a span, and the
         * trace context travels in the oslo request context as W3C {@code traceparent} and
         * {@code tracestate} entries, where {@code opentelemetry-instrumentation-oslo-messaging}
         * puts and looks for it. Without this (or with {@link ObservationRegistry#NOOP}) nothing
         * is observed and nothing is added to messages.
         *
         * @param registry the application's observation registry
         * @return this builder
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Seam for Warren's tests: any recorder, closed (meters removed) by stop. */
        Builder metrics(MetricsRecorder recorder) {
            Objects.requireNonNull(recorder, "recorder");
            this.metrics = c -> recorder;
            return this;
        }

        /**
         * @param supplier context entries that every RPC request made on the calling thread carries
         *        (a call's own context wins), e.g. the servlet layer's {@code request_id}; called on
         *        the caller's thread, must be fast, must not return null
         * @return this builder
         */
        public Builder requestContext(Supplier<Map<String, Object>> supplier) {
            this.requestContext = Objects.requireNonNull(supplier, "supplier");
            return this;
        }

        /**
         * @param owner what owns this connector beyond its name, e.g. a webapp's context path
         *        ({@code /shop}); the broker sees it as client property {@code warren_context} and
         *        in the connection names, so two webapps' connections are told apart at a glance
         * @return this builder
         */
        public Builder owner(String owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        /** Test seam: the source of the process id, to simulate a restored checkpoint. */
        Builder pidSource(LongSupplier source) {
            this.pidSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /** @return a connector in state NEW */
        public Connector build() {
            return new Connector(this);
        }
    }
}
