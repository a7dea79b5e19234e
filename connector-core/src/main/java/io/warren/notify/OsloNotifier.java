package io.warren.notify;

import io.warren.Notifier;
import io.warren.WarrenException;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import io.micrometer.observation.Observation;
import io.warren.observation.MessagingObservations;
import io.warren.wire.Notification;
import io.warren.wire.OsloEnvelope;
import io.warren.wire.OsloTopology;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier of one connector and publisher id. Before the first message of a (topic,
 * priority) it declares and binds the queue {@code <topic>.<priority>}, as oslo does, so
 * notifications are kept even before any listener exists.
 *
 * <p>Internal to Warren; reach it through {@code Connector.notifier(publisherId)}.
 */
public final class OsloNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(OsloNotifier.class);

    private final ConnectorRuntime runtime;
    private final OsloEnvelope envelope;
    private final OsloTopology topology;
    private final String publisherId;
    private final List<String> drivers;
    private final List<String> topics;
    private final MessagingObservations observations;

    /**
     * @param topics where notifications go, each to {@code <topic>.<priority>}
     * @param observations where notifications sent are observed ({@link MessagingObservations#OFF}: nowhere)
     */
    public OsloNotifier(ConnectorRuntime runtime, OsloEnvelope envelope, String publisherId, List<String> topics,
                        MessagingObservations observations) {
        this.runtime = runtime;
        this.topics = List.copyOf(topics);
        this.observations = observations;
        this.envelope = envelope;
        this.topology = new OsloTopology(runtime.config());
        this.publisherId = publisherId;
        this.drivers = runtime.config().notificationDrivers();
        if (drivers.isEmpty()) {
            LOG.info("{} - notifier {}: no notification driver configured (option driver); notifications are "
                    + "dropped, as in oslo", runtime.name(), publisherId);
        }
    }

    @Override
    public void notify(Priority priority, Map<String, ?> context, String eventType, Object payload) {
        runtime.ensureAcceptingWork();
        Map<String, Object> allowed = RedactedContext.of(context);
        Notification n = Notification.create(publisherId, eventType, priority.name(), payload, allowed);
        Observation observation = Observation.NOOP;
        if (observations.on() && !drivers.isEmpty()) {
            // Into the context after the allow-list, as the Python instrumentation injects after
            // oslo's serializer; the notification holds this very map and writes it when encoded.
            String topic = topics.get(0);
            observation = observations.notify(topic, priority.word(), runtime.config().controlExchange(),
                    topic + "." + priority.word(), eventType, publisherId, n.messageId(), allowed).start();
        }
        try {
            send(priority, n, eventType);
        } catch (RuntimeException e) {
            MessagingObservations.stop(observation, "failed", e.getClass().getSimpleName(), e);
            throw e;
        }
        MessagingObservations.stop(observation, "ok", null, null);
    }

    private void send(Priority priority, Notification n, String eventType) {
        // Every driver's body is encoded before the first is sent: one over warren_max_message_bytes
        // is refused before any copy goes out, not after some drivers sent theirs.
        String what = runtime.name() + " - notification " + eventType + " (" + priority.word() + ")";
        List<Runnable> sends = new java.util.ArrayList<>(drivers.size());
        for (String driver : drivers) {
            // oslo's rabbit driver stamps _unique_id per send, so each driver's copy is its own message.
            Map<String, Object> message = n.toMessage();
            message.put("_unique_id", OsloEnvelope.newId());
            switch (driver) {
                case "messagingv2" -> {
                    byte[] body = envelope.seal(message, what);
                    sends.add(() -> publish(priority, body));
                }
                case "messaging" -> {
                    byte[] body = envelope.bare(message, what);
                    sends.add(() -> publish(priority, body));
                }
                case "log" -> sends.add(() -> LoggerFactory.getLogger("oslo.messaging.notification." + eventType)
                        .info("{}", envelope.json().writeString(n.toMessage())));
                default -> { } // noop
            }
        }
        sends.forEach(Runnable::run);
    }

    private void publish(Priority priority, byte[] body) {
        String exchange = runtime.config().controlExchange();
        for (String topic : topics) {
            String key = topic + "." + priority.word();
            try {
                runtime.declare("notification-queue:" + exchange + ":" + key, ch -> {
                    topology.declareTopicExchange(ch, exchange);
                    topology.declareSharedQueue(ch, key);
                    ch.queueBind(key, exchange, key);
                });
            } catch (IOException e) {
                throw new WarrenException(runtime.name() + " - the broker refused to declare notification queue " + key
                        + ": " + e.getMessage(), e);
            }
            OutboundMessage m = new OutboundMessage(exchange, key, false, OsloEnvelope.properties(null), body,
                    runtime.config().publishTimeout());
            String outcome = "failed";
            try {
                runtime.publisher().publish(m).get(runtime.config().publishTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
                outcome = "ok";
            } catch (ExecutionException e) {
                throw e.getCause() instanceof WarrenException w ? w
                        : new WarrenException(runtime.name() + " - notification to " + key + " failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new WarrenException(runtime.name() + " - no confirm for the notification to " + key, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WarrenException(runtime.name() + " - interrupted sending a notification to " + key, e);
            } finally {
                runtime.metrics().notificationSent(priority.word(), outcome);
            }
        }
    }

}
