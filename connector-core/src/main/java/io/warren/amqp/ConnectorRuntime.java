package io.warren.amqp;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.recovery.AutorecoveringConnection;
import io.warren.ConnectorConfig;
import io.warren.ConnectorState;
import io.warren.ConnectorStats;
import io.warren.ConnectorStoppedException;
import io.warren.Health;
import io.warren.TransportUrl;
import io.warren.WarrenException;
import io.warren.metrics.MetricsRecorder;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one connector owns, and the order it is made and released in: owned threads and
 * executors, a publish connection with its channel pool and a consume connection with a long-lived
 * topology channel, the services (RPC servers, listeners, reply queue) built on them.
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

    /** Declaration work on the topology channel. */
    @FunctionalInterface
    public interface TopologyWork {
        void run(Channel channel) throws IOException;
    }

    private final ConnectorConfig config;
    private final String name;
    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);
    private final MetricsRecorder metrics;
    private final StateSink sink;
    private final LongSupplier pidSource;
    private final String owner;

    private final ReentrantLock lifecycleLock = new ReentrantLock();
    private volatile ConnectorState state = ConnectorState.NEW;
    private final OwnedThreads threads;
    private final PublishGate gate = new PublishGate();
    private final PublishCounters counters = new PublishCounters();
    private final AtomicInteger rpcCallsInFlight = new AtomicInteger();
    private final AtomicLong reconnects = new AtomicLong();
    private final List<OwnedService> services = new CopyOnWriteArrayList<>();
    private final List<ExecutorService> workerPools = new CopyOnWriteArrayList<>();
    /** Consumer and service channels, for the open-channel count; weak, so a closed one is simply forgotten. */
    private final java.util.Set<Channel> longLivedChannels =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));
    private final Map<String, TopologyWork> declared = new LinkedHashMap<>();
    private final Object topologyLock = new Object();
    private final java.util.Set<String> declaredKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final FailoverAddresses addresses;

    private volatile String lastError = "";
    private volatile long runningSinceNanos;
    private volatile long connectedPid;
    private volatile String blockedReason = "";

    private ScheduledThreadPoolExecutor heartbeatExecutor;
    private ThreadPoolExecutor consumerExecutor;
    private ThreadPoolExecutor shutdownExecutor;
    private ThreadPoolExecutor recoveryExecutor;
    private ScheduledThreadPoolExecutor timer;
    private volatile Thread backgroundStarter;
    private volatile Connection publishConnection;
    private volatile Connection consumeConnection;
    private Channel topologyChannel;
    private ChannelPool pool;
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
        this.owner = owner;
        this.name = config.name();
        this.metrics = metrics;
        this.sink = sink;
        this.pidSource = pidSource;
        this.threads = new OwnedThreads(name);
        List<Address> list = new ArrayList<>();
        for (TransportUrl.Host h : config.transportUrl().hosts()) {
            list.add(new Address(h.hostname(), h.port()));
        }
        if (list.isEmpty()) {
            list.add(new Address("localhost", config.transportUrl().isTls() ? 5671 : 5672));
        }
        this.addresses = new FailoverAddresses(list, config.failoverStrategy());
        for (String warning : config.warnings()) {
            LOG.warn("{} - {}", name, warning); // options oslo.messaging 18 removed or deprecated
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** @return the current state */
    public ConnectorState state() {
        return state;
    }

    /**
     * Opens everything, in order. On failure, releases what was made, moves to FAILED and throws.
     * Calling it again once started does nothing.
     */
    public void start() {
        lifecycleLock.lock();
        try {
            if (state != ConnectorState.NEW) {
                if (state.isTerminal()) {
                    throw new ConnectorStoppedException(name + " - cannot start: the connector is " + state
                            + "; build a new one");
                }
                return;
            }
            transition(ConnectorState.STARTING);
            LOG.info("{} - starting, broker {}", name, config.transportUrl());
            long t0 = System.nanoTime();
            try {
                createExecutors();
                openConnections();
            } catch (Exception e) {
                failStart(e);
            }
            runningSinceNanos = System.nanoTime();
            transition(gate.closure() == PublishGate.Closure.BLOCKED ? ConnectorState.BLOCKED : ConnectorState.RUNNING);
            LOG.info("{} - started in {} ms, heartbeat {} s, connections {}", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), negotiatedHeartbeat(), connectionNames());
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
            if (state != ConnectorState.NEW) {
                return;
            }
            transition(ConnectorState.STARTING);
            createExecutors();
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
                if (state != ConnectorState.STARTING) {
                    return;
                }
                openConnections();
                runningSinceNanos = System.nanoTime();
                transition(ConnectorState.RUNNING);
                LOG.info("{} - connected after {} attempt(s), heartbeat {} s, connections {}", name, attempt,
                        negotiatedHeartbeat(), connectionNames());
                return;
            } catch (Exception e) {
                lastError = safeMessage(e);
                closeConnections(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
                if (attempt == 1) {
                    LOG.warn("{} - cannot connect yet ({}); retrying in the background", name, lastError);
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

    private void failStart(Exception e) {
        lastError = safeMessage(e);
        LOG.error("{} - start failed: {}", name, lastError);
        release(System.nanoTime() + config.shutdownTimeout().toNanos());
        transition(ConnectorState.FAILED);
        throw new WarrenException(name + " - could not start: " + lastError, e instanceof WarrenException ? e : null);
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
            if (state.isTerminal()) {
                return;
            }
            if (state == ConnectorState.NEW) {
                transition(ConnectorState.STOPPED);
                return;
            }
            transition(ConnectorState.STOPPING);
        } finally {
            lifecycleLock.unlock();
        }
        LOG.info("{} - stopping", name);
        long t0 = System.nanoTime();
        List<String> late = release(deadline);
        transition(ConnectorState.STOPPED);
        if (late.isEmpty()) {
            LOG.info("{} - stopped in {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } else {
            LOG.warn("{} - stopped in {} ms, but still running at the deadline: {}", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), late);
        }
    }

    /** The stop order itself; returns what was still running when its bound ran out. */
    private List<String> release(long deadline) {
        List<String> late = new ArrayList<>();
        List<OwnedService> newestFirst = new ArrayList<>(services);
        java.util.Collections.reverse(newestFirst);
        for (OwnedService s : newestFirst) {
            try {
                s.stopTaking();
            } catch (RuntimeException e) {
                LOG.warn("{} - {} did not stop taking work: {}", name, s.describe(), e.toString());
            }
        }
        for (OwnedService s : newestFirst) {
            if (!s.awaitIdle(deadline)) {
                late.add(s.describe());
            }
        }
        if (publisher != null && !publisher.awaitConfirms(deadline)) {
            late.add(publisher.outstanding() + " unconfirmed publishes");
        }
        for (OwnedService s : newestFirst) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("{} - closing {} failed: {}", name, s.describe(), e.toString());
            }
        }
        services.clear();
        if (publisher != null) {
            publisher.failOutstanding("the connector is stopping");
        }
        closeConnections(deadline);
        shutdownExecutors(deadline, late);
        threads.close();
        for (Thread t : threads.joinAll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            late.add("thread " + t.getName());
        }
        metrics.close();
        return late;
    }

    private void transition(ConnectorState to) {
        ConnectorState from;
        synchronized (this) {
            from = state;
            if (from == to) {
                return;
            }
            state = to;
        }
        try {
            sink.changed(from, to);
        } catch (RuntimeException e) {
            LOG.warn("{} - a state listener failed on {} -> {}: {}", name, from, to, e.toString());
        }
    }

    /** Moves between RUNNING, RECOVERING and BLOCKED, but never out of STOPPING/STOPPED/FAILED. */
    private void transitionIfServing(ConnectorState to) {
        synchronized (this) {
            if (!state.acceptsWork()) {
                return;
            }
        }
        transition(to);
    }

    @Override
    public void ensureAcceptingWork() {
        ConnectorState s = state;
        if (!s.acceptsWork()) {
            throw new ConnectorStoppedException(name + " - the connector is " + s
                    + (s == ConnectorState.STARTING ? " (not connected yet)" : "") + "; it takes no work");
        }
    }

    @Override
    public boolean acceptsWork() {
        return state.acceptsWork();
    }

    /** Hands both connections to amqp-client's recovery, as a lost socket would. */
    public void reconnect() {
        LOG.info("{} - reconnecting on request", name);
        gate.close(PublishGate.Closure.RECOVERING, "reconnect requested");
        for (Connection c : List.of(publishConnection, consumeConnection)) {
            if (c instanceof AutorecoveringConnection arc) {
                arc.getDelegate().handleIoError(new IOException("reconnect requested"));
            }
        }
    }

    @Override
    public void checkProcess() {
        long now = pidSource.getAsLong();
        if (now == connectedPid) {
            return;
        }
        synchronized (this) {
            if (now == connectedPid) {
                return;
            }
            LOG.warn("{} - process id changed from {} to {} (a restored checkpoint?); dropping the inherited "
                    + "connections and reconnecting", name, connectedPid, now);
            connectedPid = now;
            // Closed before the sockets go, so this very publish waits for the recovery
            // instead of meeting a dead channel.
            gate.close(PublishGate.Closure.RECOVERING, "process id changed");
            for (Connection c : List.of(publishConnection, consumeConnection)) {
                if (c instanceof AutorecoveringConnection arc) {
                    // An I/O error, unlike close(), hands the connection to amqp-client's recovery.
                    arc.getDelegate().handleIoError(new IOException("process id changed; socket not ours"));
                }
            }
        }
    }

    // ---------------------------------------------------------------- building

    private void createExecutors() {
        heartbeatExecutor = new ScheduledThreadPoolExecutor(1, threads.factory("heartbeat"));
        heartbeatExecutor.setRemoveOnCancelPolicy(true);
        timer = new ScheduledThreadPoolExecutor(1, threads.factory("timer"));
        timer.setRemoveOnCancelPolicy(true);
        consumerExecutor = fixedPool("consumer", config.consumerThreads());
        // amqp-client runs channel-shutdown work here and waits for it before recovering; with one
        // thread, a callback blocking on one connection's shutdown stalled the other's recovery
        // (seen once in ClusterFailoverIT). Threads start on demand, so idle connectors pay nothing.
        shutdownExecutor = fixedPool("shutdown", 4);
        recoveryExecutor = fixedPool("recovery", 1);
    }

    private ThreadPoolExecutor fixedPool(String role, int n) {
        return new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads.factory(role));
    }

    private ConnectionFactory connectionFactory() throws IOException {
        ConnectionFactory f = new ConnectionFactory();
        TransportUrl url = config.transportUrl();
        f.setUsername(config.username());
        f.setPassword(config.password());
        f.setVirtualHost(url.virtualHost());
        f.setRequestedHeartbeat(config.heartbeatTimeoutThreshold());
        int connectMs = (int) config.connectionTimeout().toMillis();
        f.setConnectionTimeout(connectMs);
        f.setHandshakeTimeout(connectMs);
        // Every AMQP method call (declare, bind, close) waits at most this long, so no thread
        // hangs on a broker that stopped answering.
        f.setChannelRpcTimeout(connectMs);
        f.setShutdownTimeout(connectMs);
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setRecoveryDelayHandler(new ReconnectBackoff(config.retryInterval(), config.retryBackoff(), config.intervalMax()));
        f.setThreadFactory(threads.factory("io"));
        f.setHeartbeatExecutor(heartbeatExecutor);
        f.setSharedExecutor(consumerExecutor);
        f.setShutdownExecutor(shutdownExecutor);
        f.setTopologyRecoveryExecutor(recoveryExecutor);
        f.setExceptionHandler(new QuietExceptionHandler(name));
        f.setMetricsCollector(metrics.amqpCollector());
        if ("EXTERNAL".equalsIgnoreCase(config.loginMethod())) {
            f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        }
        if (config.ssl()) {
            TlsSetup.apply(f, config, url.hosts().isEmpty() ? "localhost" : url.hosts().get(0).hostname());
        }
        Map<String, Object> props = new HashMap<>(f.getClientProperties());
        props.put("warren_owner", name);
        props.put("warren_host", hostName());
        props.put("warren_pid", Long.toString(connectedPid));
        props.put("warren_generation", instanceId);
        if (owner != null) {
            props.put("warren_context", owner);
        }
        f.setClientProperties(props);
        return f;
    }

    private void openConnections() throws IOException, TimeoutException {
        connectedPid = pidSource.getAsLong();
        ConnectionFactory f = connectionFactory();
        publishConnection = f.newConnection(consumerExecutor, addresses, connectionName("publish"));
        watch(publishConnection, "publish");
        consumeConnection = f.newConnection(consumerExecutor, addresses, connectionName("consume"));
        watch(consumeConnection, "consume");
        topologyChannel = consumeConnection.createChannel();
        pool = new ChannelPool(name, publishConnection, config.channelPoolSize(), config.channelCheckoutTimeout(),
                this::openPublishingChannel);
        publisher = new Publisher(name, pool, gate, timer, counters, this);
        gate.open();
    }

    private String connectionName(String role) {
        return name + " " + role + " (" + (owner == null ? "" : "context=" + owner + " ") + "host=" + hostName()
                + " pid=" + connectedPid + " gen=" + instanceId + ")";
    }

    private PooledChannel openPublishingChannel(Connection connection) throws IOException {
        Channel ch = openChannel(connection);
        ch.confirmSelect();
        ConfirmTracker tracker = new ConfirmTracker(name, counters);
        ch.addConfirmListener(tracker);
        ch.addReturnListener(tracker);
        // Fails the messages of the underlying channel the moment it dies: after recovery its
        // sequence numbers restart and their confirms will never come.
        ch.addShutdownListener(cause -> tracker.failAllOnClosedChannels(describe(cause)));
        return new PooledChannel(ch, tracker);
    }

    private void watch(Connection connection, String role) {
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication() && state.acceptsWork()) {
                lastError = role + " connection lost: " + describe(cause);
                gate.close(PublishGate.Closure.RECOVERING, lastError);
                LOG.warn("{} - {}; recovering", name, lastError);
                transitionIfServing(ConnectorState.RECOVERING);
            }
        });
        if (connection instanceof AutorecoveringConnection arc) {
            arc.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    transitionIfServing(ConnectorState.RECOVERING);
                }

                @Override
                public void handleRecovery(Recoverable recoverable) {
                    reconnects.incrementAndGet();
                    if (publishConnection.isOpen() && consumeConnection.isOpen()) {
                        gate.open();
                        LOG.info("{} - recovered ({} connection back, {} reconnects so far)", name, role, reconnects.get());
                        transitionIfServing(ConnectorState.RUNNING);
                    }
                }
            });
        }
        connection.addBlockedListener(new BlockedListener() {
            @Override
            public void handleBlocked(String reason) {
                blockedReason = reason;
                gate.close(PublishGate.Closure.BLOCKED, reason);
                LOG.warn("{} - the broker blocks publishing: {}", name, reason);
                transitionIfServing(ConnectorState.BLOCKED);
            }

            @Override
            public void handleUnblocked() {
                blockedReason = "";
                gate.open();
                LOG.info("{} - the broker unblocked publishing", name);
                transitionIfServing(ConnectorState.RUNNING);
            }
        });
    }

    private void closeConnections(long deadline) {
        if (pool != null) {
            pool.close();
        }
        for (Connection c : new Connection[] {publishConnection, consumeConnection}) {
            if (c == null) {
                continue;
            }
            int ms = (int) Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                c.close(ms);
            } catch (IOException | RuntimeException e) {
                // Typical during a recovery (AlreadyClosedException): abort also ends the
                // recovery loop, which checks for a manual close between attempts.
                c.abort(ms);
            }
        }
    }

    private void shutdownExecutors(long deadline, List<String> late) {
        List<ExecutorService> all = new ArrayList<>(workerPools);
        for (ExecutorService e : new ExecutorService[] {consumerExecutor, shutdownExecutor, recoveryExecutor,
                heartbeatExecutor, timer}) {
            if (e != null) {
                all.add(e);
            }
        }
        for (ExecutorService e : all) {
            e.shutdown();
        }
        for (ExecutorService e : all) {
            try {
                if (!e.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                e.shutdownNow();
            }
        }
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

    /** @return the thread factory every Warren thread comes from */
    public OwnedThreads threads() {
        return threads;
    }

    /** @return a single timer thread for timeouts and keep-alives; never block in its tasks */
    public ScheduledExecutorService timer() {
        return timer;
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
        ThreadPoolExecutor pool = fixedPool(role, size);
        workerPools.add(pool);
        return pool;
    }

    /**
     * Opens a long-lived channel on the consume connection. amqp-client recovers it, with the
     * queues, bindings and consumers declared on it, as long as it stays open. The caller closes it.
     */
    public Channel openConsumerChannel() throws IOException {
        return openChannel(consumeConnection);
    }

    /**
     * Opens a long-lived channel on the publish connection, for work that must publish and consume
     * on one channel (RabbitMQ's direct reply-to). The caller closes it.
     */
    public Channel openPublishSideChannel() throws IOException {
        return openChannel(publishConnection);
    }

    private Channel openChannel(Connection connection) throws IOException {
        ensureAcceptingWork();
        Channel ch = connection.createChannel();
        if (ch == null) {
            throw new IOException(name + " - the broker has no channel left (channel_max reached)");
        }
        longLivedChannels.add(ch);
        return ch;
    }

    private int openLongLivedChannels() {
        synchronized (longLivedChannels) {
            int n = 0;
            for (Channel ch : longLivedChannels) {
                if (ch.isOpen()) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * Declares topology on the connector's long-lived topology channel, once per key. A declaration
     * that the broker refuses (406 PRECONDITION_FAILED, say) kills that channel; it is then
     * reopened and every earlier declaration replayed on it, because amqp-client recovers only
     * what was declared on channels that are still open.
     *
     * @param key identifies the declaration (e.g. {@code exchange:nova}); a key seen before is skipped
     * @param work the declarations, idempotent
     */
    public void declare(String key, TopologyWork work) throws IOException {
        ensureAcceptingWork();
        // Every call and cast comes here for its exchange; once declared, no caller should queue
        // on the lock behind the others just to learn that.
        if (declaredKeys.contains(key)) {
            return;
        }
        synchronized (topologyLock) {
            if (declared.containsKey(key)) {
                return;
            }
            try {
                work.run(topologyChannel);
                declared.put(key, work);
                declaredKeys.add(key);
            } catch (IOException | RuntimeException e) {
                if (!topologyChannel.isOpen()) {
                    reopenTopologyChannel();
                }
                throw e;
            }
        }
    }

    /** Forgets a declaration (its object was deleted), so it is not replayed. */
    public void forget(String key) {
        synchronized (topologyLock) {
            declaredKeys.remove(key);
            declared.remove(key);
        }
    }

    private void reopenTopologyChannel() throws IOException {
        topologyChannel = consumeConnection.createChannel();
        for (TopologyWork w : declared.values()) {
            w.run(topologyChannel);
        }
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
        lastError = message == null ? "" : message;
    }

    // ---------------------------------------------------------------- observing

    /** @return a snapshot for JMX and health */
    public ConnectorStats stats() {
        ChannelPool p = pool;
        Connection pc = publishConnection;
        return new ConnectorStats.Builder()
                .name(name)
                .state(state)
                .brokerAddresses(addresses.describe())
                .connectedAddress(pc != null && pc.isOpen() ? pc.getAddress().getHostAddress() + ":" + pc.getPort() : "")
                .negotiatedHeartbeatSeconds(negotiatedHeartbeat())
                .uptime(runningSinceNanos == 0 || !state.acceptsWork() ? Duration.ZERO
                        : Duration.ofNanos(System.nanoTime() - runningSinceNanos))
                .reconnectCount(reconnects.get())
                .lastError(lastError)
                .blocked(gate.closure() == PublishGate.Closure.BLOCKED)
                .blockedReason(blockedReason)
                .openChannels((p == null ? 0 : p.openChannels()) + openLongLivedChannels())
                .poolWaiters(p == null ? 0 : p.waiters())
                .published(counters.published.sum())
                .confirmed(counters.confirmed.sum())
                .nacked(counters.nacked.sum())
                .returned(counters.returned.sum())
                .publishFailures(counters.failed.sum())
                .rpcCallsInFlight(rpcCallsInFlight.get())
                .connectionNames(connectionNames())
                .build();
    }

    /** @return UP, DEGRADED or DOWN with reasons */
    public Health health() {
        ConnectorState s = state;
        List<String> reasons = new ArrayList<>();
        switch (s) {
            case RUNNING:
                if (pool != null && pool.waiters() > 0) {
                    reasons.add(pool.waiters() + " threads wait for a publishing channel");
                    return new Health(Health.Status.DEGRADED, reasons);
                }
                return new Health(Health.Status.UP, reasons);
            case BLOCKED:
                reasons.add("the broker blocks publishing: " + blockedReason);
                return new Health(Health.Status.DEGRADED, reasons);
            case RECOVERING:
                reasons.add("connection lost, recovering: " + lastError);
                return new Health(Health.Status.DOWN, reasons);
            case STARTING:
                reasons.add("not connected yet" + (lastError.isEmpty() ? "" : ": " + lastError));
                return new Health(Health.Status.DOWN, reasons);
            default:
                reasons.add("connector is " + s + (lastError.isEmpty() ? "" : ": " + lastError));
                return new Health(Health.Status.DOWN, reasons);
        }
    }

    /** The publishing channel pool; for tests in this package. */
    ChannelPool channelPool() {
        return pool;
    }

    private int negotiatedHeartbeat() {
        Connection c = publishConnection;
        return c != null && c.isOpen() ? c.getHeartbeat() : 0;
    }

    private List<String> connectionNames() {
        List<String> names = new ArrayList<>();
        for (Connection c : new Connection[] {publishConnection, consumeConnection}) {
            if (c != null && c.getClientProvidedName() != null) {
                names.add(c.getClientProvidedName());
            }
        }
        return names;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static String describe(ShutdownSignalException cause) {
        Object reason = cause.getReason();
        if (reason instanceof com.rabbitmq.client.AMQP.Connection.Close close) {
            return close.getReplyCode() + " " + close.getReplyText();
        }
        if (reason instanceof com.rabbitmq.client.AMQP.Channel.Close close) {
            return close.getReplyCode() + " " + close.getReplyText();
        }
        return cause.getCause() != null ? cause.getCause().toString() : String.valueOf(cause.getMessage());
    }

    /** Exception text that never carries credentials: amqp-client messages name hosts, not users. */
    static String safeMessage(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
