package io.warren.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.ConnectorConfig;
import io.warren.ConnectorState;
import io.warren.ConnectorStats;
import io.warren.ConnectorStoppedException;
import io.warren.Health;
import io.warren.WarrenException;
import io.warren.metrics.MetricsRecorder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one connector owns, and the order it is made and released in: its executors
 * ({@link OwnedExecutors}, on {@link OwnedThreads}), its two {@link BrokerConnections} (watched by
 * the {@link RecoveryWatch}), the {@link TopologyRegistry}'s channel, the {@link ChannelPool} and
 * its {@link Publisher}, and the {@link OwnedServices} built on them; its {@link StateMachine}
 * says where it is in that order.
 *
 * <p>It is also the handle that the RPC and notification code receive: they publish through
 * {@link #publisher()}, declare through {@link #declare}, consume on channels from
 * {@link #openConsumerChannel()}, run work on pools from {@link #newWorkerPool}, and register as
 * {@link OwnedService}s so that stop drains and closes them before the connections go.
 *
 * <p>Internal to Warren; not part of the public API.
 */
public final class ConnectorRuntime implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);

    /** Told about every state change. */
    @FunctionalInterface
    public interface StateSink {
        void changed(ConnectorState from, ConnectorState to);
    }

    /** A service's start, run on the first connect when the service was made before it. */
    @FunctionalInterface
    public interface ConnectWork {
        void run() throws IOException;
    }

    /** Declaration work on the topology channel. */
    @FunctionalInterface
    public interface TopologyWork {
        void run(Channel channel) throws IOException;
    }

    private final ConnectorConfig config;
    private final String name;
    private final MetricsRecorder metrics;

    // Held for the whole of start and of each background attempt, and for the first step of stop.
    private final ReentrantLock lifecycleLock = new ReentrantLock();
    private final StateMachine state;
    private final OwnedThreads threads;
    private final OwnedExecutors executors;
    private final PublishGate gate = new PublishGate();
    private final PublishCounters counters = new PublishCounters();
    private final RecoveryWatch watch;
    private final BrokerConnections connections;
    private final TopologyRegistry topology = new TopologyRegistry();
    private final LongLivedChannels channels;
    private final OwnedServices services;
    private final AtomicInteger rpcCallsInFlight = new AtomicInteger();
    private final AtomicLong consumerCancellations = new AtomicLong();
    private final AtomicLong consumersResumed = new AtomicLong();
    private final AtomicLong consumerChannelsReopened = new AtomicLong();

    // Services made while NEW or STARTING, started on the first connect; guarded by itself.
    private final java.util.Map<OwnedService, StartOnConnect> startOnConnect = new java.util.LinkedHashMap<>();
    private boolean connectedOnce; // guarded by startOnConnect
    // While the services that waited for the connect start: health says DOWN until they consume,
    // so that UP means the webapp's own servers answer too.
    private volatile int startingAfterConnect;

    private volatile long runningSinceNanos;
    private volatile Thread backgroundStarter;
    private ChannelPool pool;
    private ChannelPool unconfirmedPool;
    private Publisher publisher;

    /**
     * @param config the validated configuration
     * @param metrics where to report; {@link MetricsRecorder#noop()} when unused
     * @param sink told about state changes
     * @param pidSource the current process id; a seam for tests of the fork / restore check
     */
    public ConnectorRuntime(ConnectorConfig config, MetricsRecorder metrics, StateSink sink, LongSupplier pidSource) {
        this(config, metrics, sink, pidSource, null);
    }

    /**
     * @param owner what owns the connector beyond its name, e.g. a webapp's context path; shown to
     *        the broker (client property {@code warren_context} and the connection names), or null
     */
    public ConnectorRuntime(ConnectorConfig config, MetricsRecorder metrics, StateSink sink, LongSupplier pidSource,
                            String owner) {
        this.config = config;
        this.name = config.name();
        this.metrics = metrics;
        this.state = new StateMachine(name, sink);
        this.threads = new OwnedThreads(name);
        this.executors = new OwnedExecutors(threads, config.consumerThreads());
        this.watch = new RecoveryWatch(name, state, gate);
        this.connections = new BrokerConnections(config, owner, pidSource, gate, watch);
        this.channels = new LongLivedChannels(name);
        this.services = new OwnedServices(name);
        for (String warning : config.warnings()) {
            LOG.warn("{} - {}", name, warning); // options oslo.messaging 18 removed or deprecated
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** @return the current state */
    public ConnectorState state() {
        return state.state();
    }

    /**
     * Opens everything, in order. On failure, releases what was made, moves to FAILED and throws.
     * Calling it again once started does nothing.
     */
    public void start() {
        lifecycleLock.lock();
        try {
            ConnectorState now = state.state();
            if (now != ConnectorState.NEW) {
                if (now.isTerminal()) {
                    throw new ConnectorStoppedException(name + " - cannot start: the connector is " + now
                            + "; build a new one");
                }
                return;
            }
            state.moveTo(ConnectorState.STARTING);
            LOG.info("{} - starting, broker {}", name, config.transportUrl());
            long t0 = System.nanoTime();
            try {
                executors.create();
                openConnections();
            } catch (Exception e) {
                failStart(e);
            }
            runningSinceNanos = System.nanoTime();
            state.moveTo(gate.closure() == PublishGate.Closure.BLOCKED ? ConnectorState.BLOCKED : ConnectorState.RUNNING);
            try {
                // What the application made before start is part of the start: one that fails fails it.
                for (StartOnConnect s : takeStartOnConnect()) {
                    s.start();
                }
            } catch (Exception e) {
                failStart(e);
            }
            LOG.info("{} - started in {} ms, heartbeat {} s, connections {}", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), connections.negotiatedHeartbeat(),
                    connections.names());
        } finally {
            lifecycleLock.unlock();
        }
    }

    /**
     * Starts in the background: a Warren thread tries to connect with oslo's back-off until it
     * succeeds or the connector is stopped. Meanwhile the state is STARTING and health says DOWN.
     */
    public void startInBackground() {
        lifecycleLock.lock();
        try {
            if (state.state() != ConnectorState.NEW) {
                return;
            }
            state.moveTo(ConnectorState.STARTING);
            executors.create();
            backgroundStarter = threads.factory("starter").newThread(this::connectUntilStopped);
            backgroundStarter.start();
        } finally {
            lifecycleLock.unlock();
        }
        LOG.info("{} - starting in the background, broker {}", name, config.transportUrl());
    }

    private void connectUntilStopped() {
        ReconnectBackoff backoff = new ReconnectBackoff(config.retryInterval(), config.retryBackoff(), config.intervalMax());
        for (int attempt = 1; ; attempt++) {
            lifecycleLock.lock();
            try {
                if (state.state() != ConnectorState.STARTING) {
                    return;
                }
                openConnections();
                runningSinceNanos = System.nanoTime();
                startingAfterConnect = waitingForConnect();
                state.moveTo(ConnectorState.RUNNING);
                LOG.info("{} - connected after {} attempt(s), heartbeat {} s, connections {}", name, attempt,
                        connections.negotiatedHeartbeat(), connections.names());
                startWhatWaited();
                return;
            } catch (Exception e) {
                state.recordError(BrokerReasons.safeMessage(e));
                closeConnections(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
                if (attempt == 1) {
                    LOG.warn("{} - cannot connect yet ({}); retrying in the background", name, state.lastError());
                }
            } finally {
                lifecycleLock.unlock();
            }
            try {
                Thread.sleep(backoff.getDelay(attempt));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Registers {@code start} to run on the first connect when the connector has not connected yet
     * (NEW or STARTING): an application that subscribes in its own listener while a lazy start is
     * still connecting. Started in the order given, after the connections, on the thread that
     * connects; {@link #cancelStartOnConnect} takes one back.
     *
     * @param service the service, as the key to cancel it by
     * @param description for log lines, e.g. {@code RPC server on compute}
     * @return true when it waits for the connect; false when the connector is past it (start it now)
     */
    public boolean startOnConnect(OwnedService service, String description, ConnectWork start) {
        synchronized (startOnConnect) {
            ConnectorState s = state.state();
            if (connectedOnce || (s != ConnectorState.NEW && s != ConnectorState.STARTING)) {
                return false;
            }
            startOnConnect.put(service, new StartOnConnect(description, start));
            LOG.info("{} - {} starts once connected", name, description);
            return true;
        }
    }

    /** Forgets a service waiting for the first connect (stopped before it ever started). */
    public void cancelStartOnConnect(OwnedService service) {
        synchronized (startOnConnect) {
            startOnConnect.remove(service);
        }
    }

    private List<StartOnConnect> takeStartOnConnect() {
        synchronized (startOnConnect) {
            connectedOnce = true;
            List<StartOnConnect> waiting = new ArrayList<>(startOnConnect.values());
            startOnConnect.clear();
            return waiting;
        }
    }

    /**
     * After a background connect: each service that waited starts now. One that fails is logged at
     * ERROR, once, naming it and the broker's reason, and recorded for health; the others still
     * start, and the connector stays connected (there is no deployment left to fail).
     */
    private void startWhatWaited() {
        try {
            for (StartOnConnect s : takeStartOnConnect()) {
                try {
                    s.start();
                } catch (NotStartedOnConnect e) {
                    state.recordError(e.getMessage());
                    LOG.error("{} - {}", name, e.getMessage());
                }
            }
        } finally {
            startingAfterConnect = 0;
        }
    }

    private int waitingForConnect() {
        synchronized (startOnConnect) {
            return startOnConnect.size();
        }
    }

    /** A service's start waiting for the first connect. */
    private static final class StartOnConnect {
        private final String description;
        private final ConnectWork work;

        StartOnConnect(String description, ConnectWork work) {
            this.description = description;
            this.work = work;
        }

        /** @throws NotStartedOnConnect naming the service and why it did not start */
        void start() {
            try {
                work.run();
            } catch (IOException e) {
                String reason = e.getCause() instanceof com.rabbitmq.client.ShutdownSignalException signal
                        ? BrokerReasons.of(signal) : BrokerReasons.safeMessage(e);
                throw new NotStartedOnConnect("could not start the " + description + " on connect: " + reason, e);
            } catch (RuntimeException e) {
                throw new NotStartedOnConnect("could not start the " + description + " on connect: "
                        + BrokerReasons.safeMessage(e), e);
            }
        }
    }

    /** A service made before the connect that could not start on it; its message is the whole reason. */
    private static final class NotStartedOnConnect extends WarrenException {
        private static final long serialVersionUID = 1L;

        NotStartedOnConnect(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void failStart(Exception e) {
        String error = e instanceof NotStartedOnConnect ? e.getMessage() : BrokerReasons.safeMessage(e);
        state.recordError(error);
        LOG.error("{} - start failed: {}", name, error);
        release(System.nanoTime() + config.shutdownTimeout().toNanos());
        state.moveTo(ConnectorState.FAILED);
        throw new WarrenException(name + " - could not start: " + error, e instanceof WarrenException ? e : null);
    }

    /**
     * Stops in the documented order, each step bounded by what is left of {@code timeout}:
     * refuse new work, stop the services taking messages, let their handlers and the outstanding
     * confirms finish, close the services, channels and connections (abort if close fails) while
     * the executors still run, shut the executors down, then join every thread ever made.
     * Idempotent; safe during a recovery and during a background start.
     */
    public void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // A background start holds the lock only while it tries once (bounded by the connection
        // timeout); the interrupt ends its sleep between attempts.
        Thread starter = backgroundStarter;
        if (starter != null) {
            starter.interrupt();
        }
        lifecycleLock.lock();
        try {
            ConnectorState now = state.state();
            if (now.isTerminal()) {
                return;
            }
            if (now == ConnectorState.NEW) {
                state.moveTo(ConnectorState.STOPPED);
                takeStartOnConnect(); // never started, nothing to stop
                return;
            }
            state.moveTo(ConnectorState.STOPPING);
        } finally {
            lifecycleLock.unlock();
        }
        takeStartOnConnect();
        LOG.info("{} - stopping", name);
        long t0 = System.nanoTime();
        List<String> late = release(deadline);
        state.moveTo(ConnectorState.STOPPED);
        if (late.isEmpty()) {
            LOG.info("{} - stopped in {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } else {
            LOG.warn("{} - stopped in {} ms, but still running at the deadline: {}", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), late);
        }
    }

    /** The stop order itself; returns what was still running when its bound ran out. */
    private List<String> release(long deadline) {
        OwnedServices.Stopping stopping = services.stopTaking();
        List<String> late = new ArrayList<>(stopping.awaitIdle(deadline));
        if (publisher != null && !publisher.awaitConfirms(deadline)) {
            late.add(publisher.outstanding() + " unconfirmed publishes");
        }
        stopping.close();
        if (publisher != null) {
            publisher.failOutstanding("the connector is stopping");
        }
        closeConnections(deadline);
        executors.shutdown(deadline);
        threads.close();
        for (Thread t : threads.joinAll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            late.add("thread " + t.getName());
        }
        metrics.close();
        return late;
    }

    /** Both connections, then the topology channel on the consume one, the channel pool and its publisher. */
    private void openConnections() throws IOException, TimeoutException {
        connections.open(threads, executors, metrics);
        topology.open(connections.consumeConnection());
        pool = new ChannelPool(name, connections.publishConnection(), config.channelPoolSize(),
                config.channelCheckoutTimeout(), this::openPublishingChannel);
        // Channels without confirms only when some publishes may go without (warren_rpc_call_confirms=false).
        unconfirmedPool = config.rpcCallConfirms() ? null : new ChannelPool(name, connections.publishConnection(),
                config.channelPoolSize(), config.channelCheckoutTimeout(), this::openUnconfirmedChannel);
        publisher = new Publisher(name, pool, unconfirmedPool, gate, executors.timer(), counters, this);
        gate.open();
    }

    private PooledChannel openUnconfirmedChannel(Connection connection) throws IOException {
        return PooledChannel.unconfirmed(openChannel(connection), name, counters);
    }

    private PooledChannel openPublishingChannel(Connection connection) throws IOException {
        return PooledChannel.confirming(openChannel(connection), name, counters);
    }

    private void closeConnections(long deadline) {
        if (pool != null) {
            pool.close();
        }
        if (unconfirmedPool != null) {
            unconfirmedPool.close();
        }
        connections.close(deadline);
    }

    @Override
    public void ensureAcceptingWork() {
        state.ensureAcceptingWork();
    }

    @Override
    public boolean acceptsWork() {
        return state.acceptsWork();
    }

    /** Hands both connections to amqp-client's recovery, as a lost socket would. */
    public void reconnect() {
        connections.reconnect();
    }

    @Override
    public void checkProcess() {
        connections.checkProcess();
    }

    // ---------------------------------------------------------------- what services use

    /** @return the connector's name, used in every log line and thread name */
    public String name() {
        return name;
    }

    /** @return the configuration */
    public ConnectorConfig config() {
        return config;
    }

    /** @return a single timer thread for timeouts and keep-alives; never block in its tasks */
    public ScheduledExecutorService timer() {
        return executors.timer();
    }

    /** @return where to report measurements */
    public MetricsRecorder metrics() {
        return metrics;
    }

    /** @return the counter of RPC calls waiting for a reply, shown in health and JMX */
    public AtomicInteger rpcCallsInFlight() {
        return rpcCallsInFlight;
    }

    /** @return the publisher (confirms, returns, timeouts) */
    public Publisher publisher() {
        ensureAcceptingWork();
        return publisher;
    }

    /**
     * A bounded worker pool owned by this connector: shut down and joined by stop.
     *
     * @param role the thread role, e.g. {@code rpc-compute}
     * @param size number of threads
     * @return the pool; its queue is unbounded, so bound the work upstream (consumer prefetch)
     */
    public ExecutorService newWorkerPool(String role, int size) {
        ensureAcceptingWork();
        return executors.newWorkerPool(role, size);
    }

    /**
     * Opens a long-lived channel on the consume connection. amqp-client recovers it, with the
     * queues, bindings and consumers declared on it, as long as it stays open. The caller closes it.
     */
    public Channel openConsumerChannel() throws IOException {
        return openChannel(connections.consumeConnection());
    }

    /**
     * Opens a long-lived channel on the publish connection, for work that must publish and consume
     * on one channel (RabbitMQ's direct reply-to). The caller closes it.
     */
    public Channel openPublishSideChannel() throws IOException {
        return openChannel(connections.publishConnection());
    }

    private Channel openChannel(Connection connection) throws IOException {
        ensureAcceptingWork();
        return channels.open(connection);
    }

    /**
     * Consumes {@code queue} on a channel of {@link #openConsumerChannel()}, and consumes it again
     * whenever the broker cancels the consumer (see {@link ResumableConsumer}); counted in stats.
     *
     * @param tag the consumer tag, or "" for one the broker chooses
     * @param arguments consumer arguments (null: none)
     * @param redeclare declares the queue and its bindings again, idempotent, on the given channel
     * @return the consumer, to cancel it
     */
    public ResumableConsumer consume(Channel channel, String queue, boolean autoAck, String tag,
                                     Map<String, Object> arguments, com.rabbitmq.client.Consumer consumer,
                                     TopologyWork redeclare) throws IOException {
        ResumableConsumer c = new ResumableConsumer(name, channel, queue, autoAck, arguments, consumer, redeclare,
                executors.consumer(), executors.timer(), consumerCancellations, consumersResumed);
        c.start(tag);
        return c;
    }

    /**
     * Runs {@code task} on a consumer thread after {@code delayMs} (0: at once), for work that
     * waits on the broker and must not run on the {@code io} thread nor the timer. Once the
     * connector stops, it is dropped.
     */
    public void later(long delayMs, Runnable task) {
        try {
            if (delayMs <= 0) {
                executors.consumer().execute(task);
            } else {
                executors.timer().schedule(() -> later(0, task), delayMs, TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.debug("{} - not running a retry: the connector is stopping", name);
        }
    }

    /** Counts a consumer channel the broker closed alone and a service opened again. */
    void consumerChannelReopened() {
        consumerChannelsReopened.incrementAndGet();
    }

    /**
     * Declares topology on the connector's long-lived topology channel, once per key; see
     * {@link TopologyRegistry} for what happens when the broker refuses one.
     *
     * @param key identifies the declaration (e.g. {@code exchange:nova}); a key seen before is skipped
     * @param work the declarations, idempotent
     */
    public void declare(String key, TopologyWork work) throws IOException {
        ensureAcceptingWork();
        topology.declare(key, work);
    }

    /** Forgets a declaration (its object was deleted), so it is not replayed. */
    public void forget(String key) {
        topology.forget(key);
    }

    /** Registers a service that stop drains and closes before the connections. */
    public void own(OwnedService service) {
        ensureAcceptingWork();
        services.add(service);
    }

    /** Removes a service that closed itself. */
    public void disown(OwnedService service) {
        services.remove(service);
    }

    /** Records an error for health and JMX; must be secret-free. */
    public void recordError(String message) {
        state.recordError(message);
    }

    // ---------------------------------------------------------------- observing

    /** @return a snapshot for JMX and health */
    public ConnectorStats stats() {
        ChannelPool p = pool;
        ConnectorState s = state.state();
        return new ConnectorStats.Builder()
                .name(name)
                .state(s)
                .brokerAddresses(connections.addresses())
                .connectedAddress(connections.connectedAddress())
                .negotiatedHeartbeatSeconds(connections.negotiatedHeartbeat())
                .uptime(runningSinceNanos == 0 || !s.acceptsWork() ? Duration.ZERO
                        : Duration.ofNanos(System.nanoTime() - runningSinceNanos))
                .reconnectCount(watch.reconnects())
                .lastError(state.lastError())
                .blocked(gate.closure() == PublishGate.Closure.BLOCKED)
                .blockedReason(watch.blockedReason())
                .openChannels((p == null ? 0 : p.openChannels()) + channels.openCount())
                .poolWaiters(p == null ? 0 : p.waiters())
                .published(counters.published.sum())
                .confirmed(counters.confirmed.sum())
                .nacked(counters.nacked.sum())
                .returned(counters.returned.sum())
                .publishFailures(counters.failed.sum())
                .rpcCallsInFlight(rpcCallsInFlight.get())
                .consumerCancellations(consumerCancellations.get())
                .consumersResumed(consumersResumed.get())
                .consumerChannelsReopened(consumerChannelsReopened.get())
                .connectionNames(connections.names())
                .build();
    }

    /** @return UP, DEGRADED or DOWN with reasons */
    public Health health() {
        ChannelPool p = pool;
        ConnectorState s = state.state();
        int starting = startingAfterConnect;
        if (starting > 0 && s == ConnectorState.RUNNING) {
            return new Health(Health.Status.DOWN, List.of("connected; starting " + starting
                    + " RPC server(s) and notification listener(s) made before the connect"));
        }
        return ConnectorHealth.of(s, p == null ? 0 : p.waiters(), watch.blockedReason(), state.lastError());
    }

    /** @return publishes waiting for their broker confirm now, over every pooled channel */
    public int unconfirmedPublishes() {
        Publisher p = publisher;
        return p == null ? 0 : p.outstanding();
    }

    /** The publishing channel pool; for tests in this package. */
    ChannelPool channelPool() {
        return pool;
    }
}
