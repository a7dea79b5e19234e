package io.warren.rpc;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.IncomingRequest;
import io.warren.MessageTooLargeException;
import io.warren.PublishException;
import io.warren.RequestContext;
import io.warren.RpcServer;
import io.warren.Target;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.Consumers;
import io.warren.amqp.ConsumingService;
import io.warren.amqp.OutboundMessage;
import io.micrometer.observation.Observation;
import io.warren.metrics.MetricsRecorder;
import io.warren.observation.MessagingObservations;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.OsloTopology;
import io.warren.wire.RecentIds;
import io.warren.wire.RejectionLog;
import io.warren.wire.RpcFailure;
import io.warren.wire.RpcReply;
import io.warren.wire.RpcRequest;
import io.warren.wire.WireException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An oslo RPC server: the topic queue {@code T}, the server queue {@code T.S} and a fanout queue
 * {@code T_fanout_<uuid>}, all consumed on one long-lived channel of the consume connection, with
 * a prefetch equal to the worker pool, so the broker never hands over more than the pool can hold.
 *
 * <p>oslo acks a request before running it (at-most-once). Warren acks when a worker takes the
 * request, right before the method runs: the same guarantee, while unstarted requests stay
 * unacked and bounded by the prefetch. A method declared {@link io.warren.RpcMethod#quick() quick}
 * runs on the consumer thread that received it, acked the same way, with no hand-off. Unreadable messages are rejected without requeue, logged
 * once per kind per minute, and answered with an error when their reply queue is known.
 *
 * <p>Internal to Warren; reach it through {@code Connector.rpcServer(...)}.
 */
public final class OsloRpcServer extends ConsumingService implements RpcServer {
    private static final Logger LOG = LoggerFactory.getLogger(OsloRpcServer.class);
    private static final long REPLY_RETRY_MS = 250;
    private static final String DIRECT_REPLY_PREFIX = DirectReplies.PSEUDO_QUEUE + ".";

    private final OsloEnvelope envelope;
    private final OsloTopology topology;
    private final Target target;
    private final Dispatcher dispatcher = new Dispatcher();
    private final MessagingObservations observations;
    private volatile String fanoutQueue;
    /** The fanout stream's consumer arguments: amqp-client re-sends this very map when it recovers the consumer. */
    private final Map<String, Object> streamConsumerArgs = new java.util.concurrent.ConcurrentHashMap<>();
    private final RejectionLog rejections;
    private final RecentIds recentIds = new RecentIds();
    // Read once: the configuration is immutable, and each read is a lookup and unboxing by name.
    private final boolean mandatoryReplies;
    private final Duration publishTimeout;
    private final Duration missingConsumerRetryTimeout;
    private final EndpointFailures failures;
    private volatile ExecutorService workers;

    /**
     * @param target topic, and the server name (the host name when null)
     * @param endpoints plain objects; see {@link io.warren.RpcEndpoint} and {@link io.warren.RpcMethod}
     * @param observations where requests served and replies are observed ({@link MessagingObservations#OFF}: nowhere)
     */
    public OsloRpcServer(ConnectorRuntime runtime, OsloEnvelope envelope, Target target, List<Object> endpoints,
                         MessagingObservations observations) {
        super(runtime);
        this.envelope = envelope;
        this.observations = observations;
        this.topology = new OsloTopology(runtime.config());
        this.target = target.server() == null ? target.server(hostName()) : target;
        this.rejections = new RejectionLog(LOG, runtime.name());
        this.mandatoryReplies = runtime.config().directMandatoryFlag();
        this.publishTimeout = runtime.config().publishTimeout();
        this.missingConsumerRetryTimeout = runtime.config().missingConsumerRetryTimeout();
        this.failures = new EndpointFailures(runtime.config().traceback());
        for (Object e : endpoints) {
            dispatcher.add(e);
        }
        if (runtime.config().rpcPingEnabled()) {
            try {
                Method ping = OsloRpcServer.class.getDeclaredMethod("ping");
                dispatcher.add(null, "1.0", "oslo_rpc_server_ping", this, ping);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** oslo's ping endpoint, when {@code rpc_ping_enabled}. */
    @io.warren.RpcMethod(quick = true)
    private String ping() {
        return "pong";
    }

    /** Declares the queues and starts consuming. */
    public void start() throws IOException {
        int threads = runtime.config().executorThreadPoolSize();
        startConsuming("rpc-" + target.topic(), threads);
        runtime.own(this);
        LOG.info("{} - RPC server on {} (exchange {}, {} workers)", runtime.name(), target, topology.exchange(target), threads);
    }

    @Override
    protected void consumeOn(Channel channel, Consumers consumers) throws IOException {
        workers = consumers.workers();
        channel.basicQos(runtime.config().executorThreadPoolSize());
        String exchange = topology.exchange(target);
        // Declared on this long-lived channel, so amqp-client recovers them with the consumers.
        topology.declareTopicExchange(channel, exchange);
        String topicQueue = target.topic();
        String serverQueue = OsloTopology.routingKey(target);
        String fanoutExchange = OsloTopology.fanoutExchange(target.topic());
        // Each queue with what it needs, so that one the broker lost can be declared again alone.
        Consumers.ChannelWork topicWork = ch -> declareBound(ch, exchange, topicQueue);
        Consumers.ChannelWork serverWork = ch -> declareBound(ch, exchange, serverQueue);
        topicWork.run(channel);
        serverWork.run(channel);
        topology.declareFanoutExchange(channel, target.topic());
        if (fanoutQueue == null) {
            fanoutQueue = topology.declareFanoutQueue(channel, target.topic());
        } else {
            topology.declareOwnAgain(channel, fanoutQueue, target.topic()); // a new channel: the same queue
        }
        String fanout = fanoutQueue;
        channel.queueBind(fanout, fanoutExchange, target.topic());
        Consumers.ChannelWork fanoutWork = ch -> {
            topology.declareFanoutExchange(ch, target.topic());
            topology.declareOwnAgain(ch, fanout, target.topic());
            ch.queueBind(fanout, fanoutExchange, target.topic());
        };
        // x-cancel-on-ha-failover is for mirrored classic queues: a quorum queue refuses it with
        // PRECONDITION_FAILED (oslo sends it anyway and its consumer never starts) and keeps its
        // consumers when its leader moves, so it is left out there.
        boolean cancelOnFailover = runtime.config().enableCancelOnFailover();
        Map<String, Object> consumerArgs = cancelOnFailover && !runtime.config().quorumQueues()
                ? Map.of("x-cancel-on-ha-failover", true) : null;
        Map<String, Object> fanoutArgs = cancelOnFailover && !runtime.config().transientQuorumQueues()
                ? Map.of("x-cancel-on-ha-failover", true) : null;
        markRunning();
        consumers.consume(topicQueue, consumerArgs, new RequestConsumer(channel), topicWork);
        consumers.consume(serverQueue, consumerArgs, new RequestConsumer(channel), serverWork);
        if (runtime.config().streamFanout()) {
            // As oslo: a stream consumer gives its offset and nothing else.
            streamConsumerArgs.putIfAbsent("x-stream-offset", OsloTopology.streamStartOffset());
            consumers.consume(fanoutQueue, streamConsumerArgs, new RequestConsumer(channel), fanoutWork);
        } else {
            consumers.consume(fanoutQueue, fanoutArgs, new RequestConsumer(channel), fanoutWork);
        }
    }

    /** A shared queue and its binding to the target's exchange, declared on this long-lived channel so amqp-client recovers them. */
    private void declareBound(Channel ch, String exchange, String queue) throws IOException {
        topology.declareTopicExchange(ch, exchange);
        topology.declareSharedQueue(ch, queue);
        ch.queueBind(queue, exchange, queue);
    }

    private final class RequestConsumer extends DefaultConsumer {
        RequestConsumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
            long deliveryTag = env.getDeliveryTag();
            if (!streamConsumerArgs.isEmpty() && props.getHeaders() != null
                    && props.getHeaders().get("x-stream-offset") instanceof Long offset) {
                // oslo's next_stream_offset: a recovered consumer goes on after the last one seen.
                streamConsumerArgs.put("x-stream-offset", offset + 1);
            }
            Map<String, Object> message;
            RpcRequest request;
            try {
                message = envelope.open(body, props);
                request = RpcRequest.from(message);
            } catch (WireException e) {
                // Never requeued: a message that cannot be read now cannot be read later either.
                getChannel().basicReject(deliveryTag, false);
                runtime.metrics().rejected(e.kind().tag());
                rejections.rejected("RPC server " + target.topic(), e);
                answerUnreadable(body, props, e);
                return;
            }
            // Remembered only once served (in serve): a request requeued because its channel closed
            // before a worker took it comes again, and must then run.
            if (recentIds.contains(request.uniqueId())) {
                getChannel().basicAck(deliveryTag, false);
                return;
            }
            // A Warren client in direct reply-to mode: the broker gave the request its own address.
            String replyTo = props.getReplyTo();
            RpcRequest routed = replyTo != null && replyTo.startsWith(DIRECT_REPLY_PREFIX) && request.isCall()
                    ? request.withReplyQueue(replyTo) : request;
            Dispatcher.Lookup lookup = dispatcher.find(routed.namespace(), routed.version(), routed.method());
            // Made only for a method that declares it: nothing is kept for the others.
            IncomingRequest view = lookup.method != null && lookup.method.wantsIncomingRequest
                    ? incoming(routed, env, props, body) : null;
            try {
                Channel from = getChannel();
                if (lookup.method != null && lookup.method.quick && !workers.isShutdown()) {
                    // Declared quick (RpcMethod.quick): served here, without waking a worker.
                    serve(from, deliveryTag, routed, lookup, view);
                } else {
                    workers.execute(() -> serve(from, deliveryTag, routed, lookup, view));
                }
            } catch (RejectedExecutionException e) {
                // Stopping: leave it to the broker for another server (the channel may be closing too).
                try {
                    getChannel().basicReject(deliveryTag, true);
                } catch (IOException | RuntimeException closing) {
                    LOG.debug("{} - returning a request while stopping: {}", runtime.name(), closing.toString());
                }
            }
        }
    }

    /**
     * Runs on a worker, or on the consumer thread for a quick method; {@code channel} is the one
     * the request came on (acks go there only).
     */
    @SuppressWarnings("try") // the scope is what makes this the current observation
    private void serve(Channel channel, long deliveryTag, RpcRequest request, Dispatcher.Lookup lookup,
                       IncomingRequest view) {
        consumers().begin();
        long t0 = System.nanoTime();
        String outcome = "ok";
        // The method tag is the wire's text only for methods the endpoints have: any other name
        // would add a meter per name a peer cares to send.
        String meteredMethod = MetricsRecorder.UNKNOWN;
        String errorType = null;
        Throwable error = null;
        ScheduledFuture<?> keepAlive = null;
        boolean duplicate = false;
        Observation observation = Observation.NOOP;
        if (observations.on()) {
            observation = observations.serve(target.topic(), topology.exchange(target), meteredMethod,
                    request.namespace(), request.version(), request.msgId(), request.context()).start();
        }
        try {
            channel.basicAck(deliveryTag, false);
            if (recentIds.seenElseRemember(request.uniqueId())) {
                duplicate = true; // two copies were waiting for a worker: the first one ran
                return;
            }
            keepAlive = startKeepAlives(request);
            Map<String, Object> ctx = new LinkedHashMap<>(request.context());
            ctx.put("client_timeout", request.timeout());
            RpcFailure failure = null;
            Object result = null;
            if (lookup.method == null) {
                failure = lookup.compatibleEndpoint ? RpcFailure.noSuchMethod(request.method())
                        : RpcFailure.unsupportedVersion(request.version() == null ? "1.0" : request.version(), request.method());
            } else {
                meteredMethod = request.method();
                if (observation != Observation.NOOP) {
                    observation.lowCardinalityKeyValue(MessagingObservations.RPC_METHOD, meteredMethod);
                }
                // In scope: calls the endpoint makes are children of this request's span.
                try (Observation.Scope scope = observation.openScope()) {
                    result = asJson(lookup.method.invoke(request.args(), new RequestContext(ctx), view, envelope.json()));
                } catch (EndpointMethod.ArgumentError e) {
                    failure = new RpcFailure("TypeError", "builtins", e.getMessage(), List.of(), List.of(e.getMessage()), Map.of());
                } catch (Throwable t) {
                    failure = failures.describe(t);
                    error = t;
                }
            }
            if (failure != null) {
                outcome = "remote_error";
                errorType = failure.className();
                if (!request.isCall()) {
                    // No caller to tell; logged at most once a minute per method, wire text escaped.
                    rejections.failed("cast " + request.method(), "cast " + request.method() + " on " + target.topic()
                            + " failed: " + failure.className() + ": " + failure.message());
                }
            }
            if (request.isCall()) {
                Map<String, Object> replyContext = Map.of();
                Observation replying = Observation.NOOP;
                if (observation != Observation.NOOP) {
                    replyContext = new LinkedHashMap<>();
                    replying = observations.reply(observation, target.topic(), meteredMethod, request.replyQueue(),
                            request.msgId(), replyContext).start();
                }
                RpcReply answer = new RpcReply(result, failure == null ? null : failure.toJson(envelope.json()),
                        true, request.msgId(), OsloEnvelope.newId(), replyContext);
                boolean answered = false;
                try {
                    answered = answer(request, answer);
                } finally {
                    MessagingObservations.stop(replying, answered ? "ok" : "failed", answered ? null : "MessageTooLargeException", null);
                }
                if (!answered) {
                    outcome = "remote_error";
                    errorType = "MessageTooLargeException";
                }
            }
        } catch (IOException | RuntimeException e) {
            outcome = "failed";
            errorType = e.getClass().getSimpleName();
            error = e;
            // Typically every request in flight when a connection dies: one line a minute is enough.
            rejections.failed("serve", "serving a request on " + target.topic() + " failed: " + e);
        } finally {
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            if (!duplicate) {
                runtime.metrics().rpcServed(target.topic(), meteredMethod, System.nanoTime() - t0, outcome);
            }
            MessagingObservations.stop(observation, outcome, errorType, error);
            consumers().done();
        }
    }

    /** The request as it arrived, for an endpoint method that declares an {@link IncomingRequest}. */
    private IncomingRequest incoming(RpcRequest request, Envelope env, AMQP.BasicProperties props, byte[] body) {
        IncomingRequest.Builder b = IncomingRequest.builder().route(env.getExchange(), env.getRoutingKey())
                .envelopeVersion(envelope.versionOf(body, props)).contentType(props.getContentType());
        if (request.isCall()) {
            b.call(request.msgId(), request.replyQueue());
            // oslo runs keep-alives for any truthy _timeout; below 2 s none are sent, but the caller still monitors.
            if (request.timeout() instanceof Number n && n.doubleValue() > 0) {
                b.callMonitorTimeout(Duration.ofNanos((long) (n.doubleValue() * 1e9)));
            }
        }
        return b.build();
    }

    /**
     * The result as JSON values (maps, lists, strings, numbers), so that one that cannot be
     * written fails here, as the call's failure. Strings, booleans and null already are: the
     * codec would hand back an equal value after a round trip through a token buffer.
     */
    private Object asJson(Object result) {
        if (result == null || result instanceof String || result instanceof Boolean) {
            return result;
        }
        return envelope.json().convert(result, Object.class);
    }

    /** oslo: a keep-alive every int(_timeout)/2 s while the method runs, none below 1 s. */
    private ScheduledFuture<?> startKeepAlives(RpcRequest request) {
        if (!request.isCall() || !(request.timeout() instanceof Number n)) {
            return null;
        }
        long every = n.longValue() / 2;
        if (every < 1) {
            return null;
        }
        return runtime.timer().scheduleAtFixedRate(() -> reply(request.replyQueue(), RpcReply.keepAlive(request.msgId()),
                System.nanoTime()), every, every, TimeUnit.SECONDS);
    }

    /**
     * Publishes a reply, mandatory, to the default exchange. If the broker returns it (the
     * caller's reply queue is not there yet, or gone), retries every 250 ms for
     * {@code kombu_missing_consumer_retry_timeout}, as oslo does.
     *
     * <p>Not mandatory to a direct reply-to address: RabbitMQ (3.10 at least) returns such a
     * message as NO_ROUTE even when it delivered it, so a return there says nothing, and the
     * retries sent every reply again every 250 ms for a minute. Such an address belongs to one
     * channel and never comes back once gone, so there is nothing to wait for either.
     */
    private void reply(String replyQueue, RpcReply reply, long firstTryNanos) {
        reply(replyQueue, reply, envelope.seal(reply.toMessage()), firstTryNanos);
    }

    /**
     * Sends the final reply of a call. One too large for {@code warren_max_message_bytes} goes
     * as the failure that says so: the caller would refuse the reply unread and wait out its
     * timeout.
     *
     * @return false when the result was replaced by that failure
     */
    private boolean answer(RpcRequest request, RpcReply reply) {
        try {
            byte[] body = envelope.seal(reply.toMessage(), "the reply of " + request.method() + " on " + target.topic());
            reply(request.replyQueue(), reply, body, System.nanoTime());
            return true;
        } catch (MessageTooLargeException e) {
            rejections.failed("too large " + request.method(), e.getMessage() + " (the caller gets this as its error)");
            reply(request.replyQueue(), new RpcReply(null, failures.describe(e).toJson(envelope.json()), true, request.msgId(),
                    OsloEnvelope.newId()), System.nanoTime());
            return false;
        }
    }

    private void reply(String replyQueue, RpcReply reply, byte[] body, long firstTryNanos) {
        if (!runtime.state().acceptsWork()) {
            return;
        }
        boolean mandatory = mandatoryReplies && !replyQueue.startsWith(DIRECT_REPLY_PREFIX);
        OutboundMessage message = new OutboundMessage("", replyQueue, mandatory,
                OsloEnvelope.properties(null), body, publishTimeout);
        runtime.publisher().publish(message).whenComplete((ok, e) -> {
            if (e == null) {
                return;
            }
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            Duration waited = Duration.ofNanos(System.nanoTime() - firstTryNanos);
            if (cause instanceof PublishException p && p.reason() == PublishException.Reason.UNROUTABLE
                    && waited.compareTo(missingConsumerRetryTimeout) < 0 && runtime.state().acceptsWork()) {
                runtime.timer().schedule(() -> reply(replyQueue, reply, body, firstTryNanos), REPLY_RETRY_MS,
                        TimeUnit.MILLISECONDS);
            } else if (reply.ending()) {
                LOG.warn("{} - could not deliver the reply to {} ({}): {}", runtime.name(), reply.msgId(), replyQueue,
                        cause.getMessage());
            }
        });
    }

    /** Answers a request we could not read, when its reply address can still be found. */
    @SuppressWarnings("unchecked")
    private void answerUnreadable(byte[] body, AMQP.BasicProperties props, WireException problem) {
        if (problem.kind() == WireException.Kind.TOO_LARGE) {
            return; // not parsed, so no address to answer to
        }
        try {
            Map<String, Object> m = envelope.open(body, props);
            Object msgId = m.get("_msg_id");
            Object replyQ = m.get("_reply_q");
            if (msgId instanceof String id && replyQ instanceof String q) {
                RpcFailure f = new RpcFailure("AttributeError", "builtins", "malformed request: " + problem.getMessage(),
                        List.of(), List.of(), Map.of());
                reply(q, new RpcReply(null, f.toJson(envelope.json()), true, id, OsloEnvelope.newId()), System.nanoTime());
            }
        } catch (WireException | RuntimeException e) {
            // nothing to answer to
        }
    }

    @Override
    public Target target() {
        return target;
    }

    @Override
    public String describe() {
        return "RPC server " + target;
    }

    /** oslo deletes its fanout queue on a clean shutdown (not a shared stream, not a stable name); topic queues stay. */
    @Override
    protected Consumers.ChannelWork lastWords() {
        String queue = fanoutQueue;
        return queue == null || !topology.deletesFanoutQueueOnStop() ? null : ch -> ch.queueDelete(queue);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
