package io.warren.notify;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.NotificationEndpoint;
import io.warren.NotificationListener;
import io.warren.Notifier;
import io.warren.RequestContext;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.Consumers;
import io.warren.amqp.ConsumingService;
import io.micrometer.observation.Observation;
import io.warren.metrics.MetricsRecorder;
import io.warren.observation.MessagingObservations;
import io.warren.wire.JacksonCodec;
import io.warren.wire.Notification;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.OsloTopology;
import io.warren.wire.RecentIds;
import io.warren.wire.RejectionLog;
import io.warren.wire.WireException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo's notification listener: for each topic and each priority an endpoint overrides, the queue
 * {@code <topic>.<priority>} (or, with a pool, one queue named after the pool bound once per key),
 * consumed on one long-lived channel. Unlike RPC, a notification is acknowledged after the endpoints
 * ran; {@code REQUEUE} or an exception requeues it when requeueing is allowed.
 *
 * <p>Internal to Warren; reach it through {@code Connector.notificationListener(...)}.
 */
public final class OsloNotificationListener extends ConsumingService implements NotificationListener {
    private static final Logger LOG = LoggerFactory.getLogger(OsloNotificationListener.class);
    private static final int WORKERS = 4;

    private final OsloEnvelope envelope;
    private final OsloTopology topology;
    private final String exchange;
    private final List<String> topics;
    private final String pool;
    private final boolean allowRequeue;
    private final List<NotificationEndpoint> endpoints;
    private final RejectionLog rejections;
    private final RecentIds recentIds = new RecentIds();
    private final MessagingObservations observations;
    private volatile ExecutorService workers;

    /**
     * @param exchange the exchange to listen on (null: {@code control_exchange})
     * @param pool the pool name, or null for one queue per (topic, priority) shared by pool-less listeners
     * @param observations where notifications handled are observed ({@link MessagingObservations#OFF}: nowhere)
     */
    public OsloNotificationListener(ConnectorRuntime runtime, OsloEnvelope envelope, String exchange, List<String> topics,
                                    String pool, boolean allowRequeue, List<NotificationEndpoint> endpoints,
                                    MessagingObservations observations) {
        super(runtime);
        this.observations = observations;
        this.envelope = envelope;
        this.topology = new OsloTopology(runtime.config());
        this.exchange = exchange != null ? exchange : runtime.config().controlExchange();
        this.topics = List.copyOf(topics);
        this.pool = pool;
        this.allowRequeue = allowRequeue;
        this.endpoints = List.copyOf(endpoints);
        this.rejections = new RejectionLog(LOG, runtime.name());
    }

    /** Declares the queues of the priorities the endpoints implement and starts consuming. */
    public void start() throws IOException {
        Set<Notifier.Priority> priorities = implemented(endpoints);
        if (priorities.isEmpty()) {
            throw new IllegalArgumentException("no endpoint overrides a priority method (info, error, ...) or notification(...): nothing to listen to");
        }
        startConsuming("notify-" + topics.get(0), WORKERS);
        runtime.own(this);
        LOG.info("{} - notification listener on {} {} (exchange {}{})", runtime.name(), topics, priorities, exchange,
                pool == null ? "" : ", pool " + pool);
    }

    @Override
    protected void consumeOn(Channel channel, Consumers consumers) throws IOException {
        workers = consumers.workers();
        channel.basicQos(WORKERS);
        topology.declareTopicExchange(channel, exchange);
        // Each queue with its keys (a pool's one queue has them all), to declare it again alone.
        Map<String, Set<String>> keysByQueue = new LinkedHashMap<>();
        for (String topic : topics) {
            for (Notifier.Priority p : implemented(endpoints)) {
                String key = topic + "." + p.word();
                keysByQueue.computeIfAbsent(pool != null ? pool : key, q -> new LinkedHashSet<>()).add(key);
            }
        }
        for (Map.Entry<String, Set<String>> e : keysByQueue.entrySet()) {
            declareBound(channel, e.getKey(), e.getValue());
        }
        markRunning();
        for (Map.Entry<String, Set<String>> e : keysByQueue.entrySet()) {
            String queue = e.getKey();
            Set<String> keys = e.getValue();
            consumers.consume(queue, null, new NotificationConsumer(channel), ch -> {
                topology.declareTopicExchange(ch, exchange);
                declareBound(ch, queue, keys);
            });
        }
    }

    private void declareBound(Channel ch, String queue, Set<String> keys) throws IOException {
        topology.declareSharedQueue(ch, queue);
        for (String key : keys) {
            ch.queueBind(queue, exchange, key);
        }
    }

    static Set<Notifier.Priority> implemented(List<NotificationEndpoint> endpoints) {
        Set<Notifier.Priority> out = EnumSet.noneOf(Notifier.Priority.class);
        for (NotificationEndpoint e : endpoints) {
            try {
                if (e.getClass().getMethod("notification", Notifier.Priority.class, RequestContext.class, String.class,
                        String.class, Object.class, Map.class).getDeclaringClass() != NotificationEndpoint.class) {
                    out.addAll(EnumSet.allOf(Notifier.Priority.class)); // the catch-all sees every priority
                    continue;
                }
            } catch (NoSuchMethodException impossible) {
                throw new IllegalStateException(impossible);
            }
            for (Notifier.Priority p : Notifier.Priority.values()) {
                try {
                    Method m = e.getClass().getMethod(p.word(), RequestContext.class, String.class, String.class,
                            Object.class, Map.class);
                    if (m.getDeclaringClass() != NotificationEndpoint.class) {
                        out.add(p);
                    }
                } catch (NoSuchMethodException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        }
        return out;
    }

    private final class NotificationConsumer extends DefaultConsumer {
        NotificationConsumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws IOException {
            Notification n;
            try {
                n = Notification.from(envelope.open(body, props));
            } catch (WireException e) {
                getChannel().basicReject(env.getDeliveryTag(), false);
                runtime.metrics().rejected(e.kind().tag());
                rejections.rejected("notification listener " + topics, e);
                return;
            }
            try {
                Channel from = getChannel();
                workers.execute(() -> handle(from, env.getDeliveryTag(), env.getRoutingKey(), n));
            } catch (RejectedExecutionException e) {
                getChannel().basicReject(env.getDeliveryTag(), true);
            }
        }
    }

    /** Runs on a worker; {@code channel} is the one the notification came on (acks go there only). */
    @SuppressWarnings("try") // the scope is what makes this the current observation
    private void handle(Channel channel, long deliveryTag, String routingKey, Notification n) {
        consumers().begin();
        String priority = n.priority().toLowerCase(Locale.ROOT);
        // A priority oslo does not know is wire text: metered as one tag, not one meter each.
        String meteredPriority = priorityOf(priority) == null ? MetricsRecorder.UNKNOWN : priority;
        boolean requeue = false;
        Observation observation = Observation.NOOP;
        if (observations.on()) {
            observation = observations.handle(topicOf(routingKey), exchange, meteredPriority, n.eventType(),
                    n.publisherId(), n.messageId(), n.context()).start();
        }
        String outcome = "failed";
        RuntimeException failed = null;
        try (Observation.Scope scope = observation.openScope()) {
            if (!recentIds.contains(n.uniqueId())) {
                Notifier.Priority p = priorityOf(priority);
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("message_id", n.messageId());
                metadata.put("timestamp", n.timestamp());
                RequestContext ctx = new RequestContext(n.context());
                for (NotificationEndpoint e : endpoints) {
                    if (p == null || !e.filter().matches(n.publisherId(), n.eventType(), n.context())) {
                        continue;
                    }
                    NotificationEndpoint.Result r;
                    try {
                        r = dispatch(e, p, ctx, n, metadata);
                    } catch (RuntimeException ex) {
                        LOG.warn("{} - notification endpoint {} failed on {}: {}", runtime.name(),
                                e.getClass().getSimpleName(), n.eventType(), ex.toString());
                        r = NotificationEndpoint.Result.REQUEUE;
                        failed = ex;
                    }
                    if (r == NotificationEndpoint.Result.REQUEUE) {
                        requeue = true;
                        break;
                    }
                }
            }
            if (requeue && allowRequeue) {
                channel.basicReject(deliveryTag, true);
            } else {
                channel.basicAck(deliveryTag, false);
                // oslo remembers acknowledged ids only: a requeued message must come back in.
                recentIds.remember(n.uniqueId());
            }
            outcome = requeue ? "requeued" : "ok";
            runtime.metrics().notificationReceived(meteredPriority, outcome);
        } catch (IOException | RuntimeException e) {
            failed = e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((IOException) e);
            if (!channel.isOpen()) {
                // Typically a handler that ran longer than the broker's consumer_timeout: the broker
                // closed the channel, requeued the notification and will hand it over again.
                LOG.warn("{} - notification {} ({}) handled, but its channel was closed meanwhile ({}): the broker"
                                + " requeued it and delivers it again; a handler slower than the broker's consumer_timeout"
                                + " does this", runtime.name(), JacksonCodec.printable(n.eventType()), n.messageId(),
                        channel.getCloseReason() == null ? e.toString() : channel.getCloseReason().getMessage());
            } else {
                LOG.warn("{} - acknowledging a notification failed: {}", runtime.name(), e.toString());
            }
        } finally {
            MessagingObservations.stop(observation, outcome, failed == null ? null : failed.getClass().getSimpleName(), failed);
            consumers().done();
        }
    }

    /** @return the notification topic of a routing key {@code <topic>.<priority>} */
    private static String topicOf(String routingKey) {
        int dot = routingKey.lastIndexOf('.');
        return dot > 0 ? routingKey.substring(0, dot) : routingKey;
    }

    private static NotificationEndpoint.Result dispatch(NotificationEndpoint e, Notifier.Priority p, RequestContext ctx,
                                                        Notification n, Map<String, Object> md) {
        NotificationEndpoint.Result r = switch (p) {
            case AUDIT -> e.audit(ctx, n.publisherId(), n.eventType(), n.payload(), md);
            case DEBUG -> e.debug(ctx, n.publisherId(), n.eventType(), n.payload(), md);
            case INFO -> e.info(ctx, n.publisherId(), n.eventType(), n.payload(), md);
            case WARN -> e.warn(ctx, n.publisherId(), n.eventType(), n.payload(), md);
            case ERROR -> e.error(ctx, n.publisherId(), n.eventType(), n.payload(), md);
            case CRITICAL -> e.critical(ctx, n.publisherId(), n.eventType(), n.payload(), md);
            case SAMPLE -> e.sample(ctx, n.publisherId(), n.eventType(), n.payload(), md);
        };
        return r == null ? NotificationEndpoint.Result.HANDLED : r;
    }

    private static Notifier.Priority priorityOf(String word) {
        for (Notifier.Priority p : Notifier.Priority.values()) {
            if (p.word().equals(word) || ("warning".equals(word) && p == Notifier.Priority.WARN)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String describe() {
        return "notification listener " + topics;
    }
}
