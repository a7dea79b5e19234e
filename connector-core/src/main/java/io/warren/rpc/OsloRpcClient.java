package io.warren.rpc;

import io.warren.CallOptions;
import io.warren.MessagingTimeout;
import io.warren.RpcClient;
import io.warren.Target;
import io.warren.WarrenException;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import io.micrometer.observation.Observation;
import io.warren.observation.MessagingObservations;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.OsloTopology;
import io.warren.wire.RpcRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The RPC client of one connector, speaking oslo's rabbit driver protocol: requests to the control
 * (or target) exchange with routing key {@code topic} or {@code topic.server}, fanout casts to
 * {@code <topic>_fanout}, calls answered through the connector's {@link ReplyChannel} (the oslo reply queue, or direct reply-to).
 *
 * <p>Internal to Warren; reach it through {@code Connector.rpcClient()}.
 */
public final class OsloRpcClient implements RpcClient {
    private final ConnectorRuntime runtime;
    private final OsloEnvelope envelope;
    private final OsloTopology topology;
    private final Supplier<Map<String, Object>> ambientContext;
    private final MessagingObservations observations;
    // Read once: the configuration is immutable, and each read is a lookup and unboxing by name.
    private final boolean direct;
    private final boolean callExpiration;
    private final Duration responseTimeout;
    private final Duration publishTimeout;
    private final Object repliesLock = new Object();
    private volatile ReplyChannel replies;

    /**
     * @param ambientContext context entries every request carries unless the call's own context
     *        overrides them (the servlet layer's request id); never null, may return an empty map
     * @param observations where calls and casts are observed ({@link MessagingObservations#OFF}: nowhere)
     */
    public OsloRpcClient(ConnectorRuntime runtime, OsloEnvelope envelope, Supplier<Map<String, Object>> ambientContext,
                         MessagingObservations observations) {
        this.runtime = runtime;
        this.envelope = envelope;
        this.topology = new OsloTopology(runtime.config());
        this.ambientContext = ambientContext;
        this.observations = observations;
        this.direct = runtime.config().replyMode() == io.warren.ReplyMode.DIRECT;
        this.callExpiration = runtime.config().callExpiration();
        this.responseTimeout = runtime.config().rpcResponseTimeout();
        this.publishTimeout = runtime.config().publishTimeout();
    }

    @Override
    public Object call(Target target, String method, Map<String, ?> args, CallOptions options) {
        return await(callAsync(target, method, args, options), timeoutOf(options), target, method);
    }

    @Override
    public <T> T call(Target target, String method, Map<String, ?> args, CallOptions options, Class<T> type) {
        Object result = call(target, method, args, options);
        try {
            return envelope.json().convert(result, type);
        } catch (IllegalArgumentException e) {
            throw new WarrenException("the result of " + method + " on " + target + " does not fit "
                    + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Object> callAsync(Target target, String method, Map<String, ?> args, CallOptions options) {
        if (target.isFanout()) {
            throw new IllegalArgumentException("a call cannot go to a fanout target (oslo's InvalidTarget): " + target
                    + "; use cast for fanout");
        }
        runtime.ensureAcceptingWork();
        Duration timeout = timeoutOf(options);
        Duration monitor = options.callMonitorTimeout();
        String msgId = OsloEnvelope.newId();
        ReplyChannel replies = replies();
        String version = versionOf(target, options);
        String exchange = topology.exchange(target);
        String routingKey = OsloTopology.routingKey(target);
        Map<String, Object> context = contextOf(options);
        Observation observation = Observation.NOOP;
        if (observations.on()) {
            // A copy, as the carrier: starting the observation writes traceparent into it.
            context = new LinkedHashMap<>(context);
            observation = observations.call(target, method, version, exchange, routingKey, msgId, context).start();
        }
        PendingCall call;
        byte[] body;
        try {
            RpcRequest request = new RpcRequest(method, copy(args), target.namespace(), version, msgId,
                    replies.address(),
                    monitor == null ? null : monitor.toMillis() / 1000.0, OsloEnvelope.newId(), context);
            // Sealed before anything is declared or registered: an oversized request fails here, at once.
            body = envelope.seal(request.toMessage(), runtime.name() + " - call " + method + " on " + target);
            declareExchange(exchange);
            call = replies.expect(msgId, target, method, timeout, monitor);
        } catch (RuntimeException e) {
            MessagingObservations.stop(observation, "failed", e.getClass().getSimpleName(), e);
            throw e;
        }
        Observation observed = observation;
        runtime.rpcCallsInFlight().incrementAndGet();
        long t0 = System.nanoTime();
        call.future.whenComplete((r, e) -> {
            runtime.rpcCallsInFlight().decrementAndGet();
            String outcome = outcome(e);
            runtime.metrics().rpcCall(target.topic(), method, System.nanoTime() - t0, outcome);
            MessagingObservations.stop(observed, outcome, errorType(e), spanError(e));
        });
        // expiration = the call timeout: a request nobody took in time is dropped by the broker.
        OutboundMessage message = new OutboundMessage(exchange, routingKey, false,
                OsloEnvelope.properties(callExpiration ? timeout.toMillis() : null), body, min(timeout, publishTimeout));
        replies.send(message, call);
        return call.future;
    }

    @Override
    public void cast(Target target, String method, Map<String, ?> args, CallOptions options) {
        Duration bound = publishTimeout.plusSeconds(1);
        await(castAsync(target, method, args, options), bound, target, method);
    }

    @Override
    public CompletableFuture<Void> castAsync(Target target, String method, Map<String, ?> args, CallOptions options) {
        runtime.ensureAcceptingWork();
        String version = versionOf(target, options);
        String uniqueId = OsloEnvelope.newId();
        String exchange;
        String routingKey;
        if (target.isFanout()) {
            exchange = OsloTopology.fanoutExchange(target.topic());
            routingKey = "";
        } else {
            exchange = topology.exchange(target);
            routingKey = OsloTopology.routingKey(target);
        }
        Map<String, Object> context = contextOf(options);
        Observation observation = Observation.NOOP;
        if (observations.on()) {
            context = new LinkedHashMap<>(context);
            observation = observations.cast(target, method, version, exchange, routingKey, uniqueId, context).start();
        }
        CompletableFuture<Void> sent;
        try {
            RpcRequest request = new RpcRequest(method, copy(args), target.namespace(), version, null,
                    null, null, uniqueId, context);
            byte[] body = envelope.seal(request.toMessage(), runtime.name() + " - cast " + method + " on " + target);
            if (target.isFanout()) {
                declare("fanout:" + exchange, ch -> topology.declareFanoutExchange(ch, target.topic()));
            } else {
                declareExchange(exchange);
            }
            OutboundMessage message = new OutboundMessage(exchange, routingKey, false, OsloEnvelope.properties(null), body,
                    publishTimeout);
            sent = runtime.publisher().publish(message);
        } catch (RuntimeException e) {
            MessagingObservations.stop(observation, "failed", e.getClass().getSimpleName(), e);
            throw e;
        }
        Observation observed = observation;
        return sent.whenComplete((ok, e) -> {
            String outcome = outcome(e);
            runtime.metrics().cast(target.topic(), outcome);
            MessagingObservations.stop(observed, outcome, errorType(e), spanError(e));
        });
    }

    /** The reply queue (oslo) or direct reply-to, set up on the first call. */
    private ReplyChannel replies() {
        ReplyChannel r = replies;
        if (r != null) {
            return r;
        }
        synchronized (repliesLock) {
            if (replies == null) {
                ReplyChannel created = direct ? new DirectReplies(runtime, envelope) : new ReplyQueue(runtime, envelope);
                try {
                    created.start();
                } catch (IOException e) {
                    created.close();
                    throw new WarrenException(runtime.name() + " - could not set up " + created.describe()
                            + (direct ? " (direct reply-to needs RabbitMQ; use warren_rpc_reply_mode=oslo elsewhere)" : "")
                            + ": " + e.getMessage(), e);
                }
                replies = created;
            }
            return replies;
        }
    }

    private void declareExchange(String exchange) {
        declare("exchange:" + exchange, ch -> topology.declareTopicExchange(ch, exchange));
    }

    private void declare(String key, ConnectorRuntime.TopologyWork work) {
        try {
            runtime.declare(key, work);
        } catch (IOException e) {
            throw new WarrenException(runtime.name() + " - the broker refused to declare " + key + ": " + e.getMessage()
                    + " (a Python peer may have declared it with other flags; align amqp_durable_queues, "
                    + "amqp_auto_delete, rabbit_quorum_queue)", e);
        }
    }

    private Duration timeoutOf(CallOptions options) {
        return options.timeout() != null ? options.timeout() : responseTimeout;
    }

    private static String versionOf(Target target, CallOptions options) {
        return options.version() != null ? options.version() : target.version();
    }

    private Map<String, Object> contextOf(CallOptions options) {
        Map<String, Object> ambient = ambientContext.get();
        if (ambient.isEmpty()) {
            return options.context();
        }
        Map<String, Object> merged = new LinkedHashMap<>(ambient);
        merged.putAll(options.context());
        return merged;
    }

    private static Map<String, Object> copy(Map<String, ?> args) {
        return args == null ? new LinkedHashMap<>() : new LinkedHashMap<>(args);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Throwable causeOf(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /**
     * @return what the span records as its exception: a local failure; not a remote error, whose
     *         message and traceback are the peer's text (the class is in {@code error.type})
     */
    private static Throwable spanError(Throwable e) {
        Throwable cause = e == null ? null : causeOf(e);
        return cause instanceof io.warren.RemoteError ? null : cause;
    }

    /** @return the remote error's Python class, or the local exception's simple name; null when it ended well */
    static String errorType(Throwable e) {
        if (e == null) {
            return null;
        }
        Throwable cause = causeOf(e);
        return cause instanceof io.warren.RemoteError remote ? remote.exceptionClass() : cause.getClass().getSimpleName();
    }

    static String outcome(Throwable e) {
        if (e == null) {
            return "ok";
        }
        Throwable cause = causeOf(e);
        if (cause instanceof MessagingTimeout) {
            return "timeout";
        }
        if (cause instanceof io.warren.RemoteError) {
            return "remote_error";
        }
        return "failed";
    }

    /** Waits with a bound even though the future is always ended by its own timer. */
    private static <T> T await(CompletableFuture<T> future, Duration timeout, Target target, String method) {
        try {
            return future.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WarrenException w) {
                throw w;
            }
            throw new WarrenException(method + " on " + target + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new MessagingTimeout("no outcome for " + method + " on " + target + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarrenException("interrupted waiting for " + method + " on " + target, e);
        }
    }

    /** @return calls registered with the reply channel and not yet ended (0 before the first call) */
    public int pendingCalls() {
        ReplyChannel r = replies;
        return r == null ? 0 : r.pendingCalls();
    }
}
