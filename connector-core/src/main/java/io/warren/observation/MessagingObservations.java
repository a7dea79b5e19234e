package io.warren.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.Propagator;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.warren.Target;
import java.util.Map;

/**
 * The Micrometer observations of one connector: one per call, cast, fanout cast, reply and
 * notification sent, and one per RPC request served and notification handled, named and tagged
 * after OpenTelemetry's messaging conventions.
 *
 * <p>The trace context travels where {@code opentelemetry-instrumentation-oslo-messaging} puts it:
 * in the oslo request context itself, as W3C {@code traceparent} / {@code tracestate} entries, so
 * {@code _context_traceparent} on the wire. A sender's observation has the context dictionary
 * as its carrier, and the application's tracer bridge writes into it when the observation starts;
 * a receiver's reads it back. Warren names no tracer.
 *
 * <p>With {@link ObservationRegistry#NOOP} (no registry given), {@link #on()} is false and the
 * senders and receivers take their untraced path: no context copy, no observation, nothing
 * allocated per message. Tags hold names and outcomes, never payloads or context values.
 */
public final class MessagingObservations {
    /** The observations of a connector that was given no registry. */
    public static final MessagingObservations OFF = new MessagingObservations(ObservationRegistry.NOOP);

    static final String CALL = "oslo.messaging.rpc.call";
    static final String CAST = "oslo.messaging.rpc.cast";
    static final String FANOUT = "oslo.messaging.rpc.fanout";
    static final String REPLY = "oslo.messaging.rpc.reply";
    static final String NOTIFY = "oslo.messaging.notification.send";
    /** The consumer span names of the Python instrumentation. */
    static final String PROCESS_RPC = "oslo.messaging.rpc.process";
    static final String PROCESS_NOTIFICATION = "oslo.messaging.notification.process";

    static final String SYSTEM = "messaging.system";
    static final String OPERATION_TYPE = "messaging.operation.type";
    static final String OPERATION_NAME = "messaging.operation.name";
    static final String DESTINATION = "messaging.destination.name";
    static final String ROUTING_KEY = "messaging.rabbitmq.destination.routing_key";
    static final String MESSAGE_ID = "messaging.message.id";
    static final String EXCHANGE = "oslo_messaging.target.exchange";
    static final String RPC_SYSTEM = "rpc.system";
    /** The tag of the RPC method; a request served gets it once its endpoint method is found. */
    public static final String RPC_METHOD = "rpc.method";
    static final String RPC_SERVICE = "rpc.service";
    static final String VERSION = "oslo_messaging.target.version";
    static final String PRIORITY = "oslo_messaging.notification.priority";
    static final String EVENT_TYPE = "oslo_messaging.notification.event_type";
    static final String PUBLISHER_ID = "oslo_messaging.notification.publisher_id";
    static final String OUTCOME = "outcome";
    static final String ERROR_TYPE = "error.type";
    /** The value of a tag that does not apply: every observation of a name has the same tag keys (Prometheus needs that). */
    static final String NONE = "none";

    /** The carrier is the oslo context dictionary; the tracer bridge writes its W3C entries into it. */
    private static final Propagator.Setter<Map<String, Object>> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.put(key, value);
        }
    };
    /** Context values are whatever the peer sent: only a string can be a trace header. */
    private static final Propagator.Getter<Map<String, Object>> GETTER = (carrier, key) ->
            carrier != null && carrier.get(key) instanceof String s ? s : null;

    private final ObservationRegistry registry;

    private MessagingObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param registry the application's registry, or {@link ObservationRegistry#NOOP}
     * @return the observations reported to it
     */
    public static MessagingObservations of(ObservationRegistry registry) {
        return registry == null || registry.isNoop() ? OFF : new MessagingObservations(registry);
    }

    /** @return whether observations are made; when false the callers skip every step of them */
    public boolean on() {
        return !registry.isNoop();
    }

    /**
     * A call, not started. Starting it writes the trace entries into {@code context}.
     *
     * @param context the request's context, mutable, before the request is encoded
     */
    public Observation call(Target target, String method, String version, String exchange, String routingKey,
                            String msgId, Map<String, Object> context) {
        return rpcSend(CALL, "call", target, method, version, exchange, routingKey, context)
                .highCardinalityKeyValue(MESSAGE_ID, msgId);
    }

    /** A cast or fanout cast, not started; see {@link #call}. */
    public Observation cast(Target target, String method, String version, String exchange, String routingKey,
                            String uniqueId, Map<String, Object> context) {
        boolean fanout = target.isFanout();
        return rpcSend(fanout ? FANOUT : CAST, fanout ? "fanout" : "cast", target, method, version, exchange,
                routingKey, context).highCardinalityKeyValue(MESSAGE_ID, uniqueId);
    }

    /**
     * The final reply to a request being served, not started; its parent is the serving observation.
     *
     * @param context the reply's context entries, written as {@code _context_*}
     */
    public Observation reply(Observation serving, String topic, String method, String replyQueue, String msgId,
                             Map<String, Object> context) {
        return sender(REPLY, "reply " + topic, context)
                .parentObservation(serving)
                .lowCardinalityKeyValue(OPERATION_NAME, "reply")
                .lowCardinalityKeyValue(DESTINATION, topic)
                .lowCardinalityKeyValue(RPC_SYSTEM, "oslo.messaging")
                .lowCardinalityKeyValue(RPC_METHOD, method)
                .highCardinalityKeyValue(ROUTING_KEY, replyQueue)
                .highCardinalityKeyValue(MESSAGE_ID, msgId);
    }

    /** A notification sent, not started; see {@link #call}. */
    public Observation notify(String topic, String priority, String exchange, String routingKey, String eventType,
                              String publisherId, String messageId, Map<String, Object> context) {
        return sender(NOTIFY, "notify " + topic, context)
                .lowCardinalityKeyValue(OPERATION_NAME, "notify")
                .lowCardinalityKeyValue(DESTINATION, topic)
                .lowCardinalityKeyValue(EXCHANGE, exchange)
                .lowCardinalityKeyValue(PRIORITY, priority)
                .highCardinalityKeyValue(ROUTING_KEY, routingKey)
                .highCardinalityKeyValue(EVENT_TYPE, eventType)
                .highCardinalityKeyValue(PUBLISHER_ID, String.valueOf(publisherId))
                .highCardinalityKeyValue(MESSAGE_ID, String.valueOf(messageId));
    }

    /**
     * Serving one RPC request, not started; its parent is the trace context the request carries.
     *
     * @param method the endpoint method's name, or {@code <unknown>} for a name no endpoint has
     * @param context the request's context as received
     */
    public Observation serve(String topic, String exchange, String method, String namespace, String version,
                             String msgId, Map<String, Object> context) {
        return receiver(PROCESS_RPC, context)
                .lowCardinalityKeyValue(DESTINATION, topic)
                .lowCardinalityKeyValue(EXCHANGE, exchange)
                .lowCardinalityKeyValue(RPC_SYSTEM, "oslo.messaging")
                .lowCardinalityKeyValue(RPC_METHOD, method)
                .lowCardinalityKeyValue(RPC_SERVICE, orNone(namespace))
                .lowCardinalityKeyValue(VERSION, orNone(version))
                .highCardinalityKeyValue(MESSAGE_ID, String.valueOf(msgId));
    }

    /**
     * Handling one notification, not started; its parent is the trace context it carries.
     *
     * @param topic the notification topic it was sent to (its routing key without the priority)
     * @param priority a priority oslo knows, or {@code <unknown>}
     */
    public Observation handle(String topic, String exchange, String priority, String eventType, String publisherId,
                              String messageId, Map<String, Object> context) {
        return receiver(PROCESS_NOTIFICATION, context)
                .lowCardinalityKeyValue(DESTINATION, topic)
                .lowCardinalityKeyValue(EXCHANGE, exchange)
                .lowCardinalityKeyValue(PRIORITY, priority)
                .highCardinalityKeyValue(EVENT_TYPE, eventType)
                .highCardinalityKeyValue(PUBLISHER_ID, String.valueOf(publisherId))
                .highCardinalityKeyValue(MESSAGE_ID, String.valueOf(messageId));
    }

    /**
     * Ends an observation with its outcome: {@code ok}, or the failure's kind with
     * {@code error.type} the remote or local exception class.
     *
     * @param errorType the remote error's class, the exception's simple name, or null when ok
     * @param error the exception to record on the span, or null
     * @param observation a started observation, or {@link Observation#NOOP} (then nothing happens)
     * @param outcome the outcome tag
     */
    public static void stop(Observation observation, String outcome, String errorType, Throwable error) {
        if (observation == Observation.NOOP) {
            return; // a tag on NOOP would still make its KeyValue
        }
        observation.lowCardinalityKeyValue(OUTCOME, outcome);
        observation.lowCardinalityKeyValue(ERROR_TYPE, errorType == null ? NONE : errorType);
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }

    private Observation rpcSend(String name, String operation, Target target, String method, String version,
                                String exchange, String routingKey, Map<String, Object> context) {
        return sender(name, operation + " " + target.topic(), context)
                .lowCardinalityKeyValue(OPERATION_NAME, operation)
                .lowCardinalityKeyValue(DESTINATION, target.topic())
                .lowCardinalityKeyValue(EXCHANGE, exchange)
                .lowCardinalityKeyValue(RPC_SYSTEM, "oslo.messaging")
                .lowCardinalityKeyValue(RPC_METHOD, method)
                .lowCardinalityKeyValue(RPC_SERVICE, orNone(target.namespace()))
                .lowCardinalityKeyValue(VERSION, orNone(version))
                .highCardinalityKeyValue(ROUTING_KEY, routingKey);
    }

    private Observation sender(String name, String spanName, Map<String, Object> carrier) {
        return Observation.createNotStarted(name, () -> {
                    SenderContext<Map<String, Object>> c = new SenderContext<>(SETTER, Kind.PRODUCER);
                    c.setCarrier(carrier);
                    c.setRemoteServiceName("rabbitmq");
                    return c;
                }, registry)
                .contextualName(spanName)
                .lowCardinalityKeyValue(SYSTEM, "rabbitmq")
                .lowCardinalityKeyValue(OPERATION_TYPE, "send");
    }

    private Observation receiver(String name, Map<String, Object> carrier) {
        return Observation.createNotStarted(name, () -> {
                    ReceiverContext<Map<String, Object>> c = new ReceiverContext<>(GETTER, Kind.CONSUMER);
                    c.setCarrier(carrier);
                    c.setRemoteServiceName("rabbitmq");
                    return c;
                }, registry)
                .contextualName(name)
                .lowCardinalityKeyValue(SYSTEM, "rabbitmq")
                .lowCardinalityKeyValue(OPERATION_TYPE, "process")
                .lowCardinalityKeyValue(OPERATION_NAME, "process");
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
