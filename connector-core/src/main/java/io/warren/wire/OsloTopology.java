package io.warren.wire;

import com.rabbitmq.client.Channel;
import io.warren.ConnectorConfig;
import io.warren.Target;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * oslo's names and declaration flags (PROTOCOL §2). RabbitMQ refuses a re-declaration with other
 * flags (406), so every shared object is declared exactly as a Python deployment with the same
 * options declares it: the control exchange and the topic, server and notification queues follow
 * {@code amqp_durable_queues} / {@code amqp_auto_delete} / {@code rabbit_quorum_queue} /
 * {@code rabbit_ha_queues}; reply and fanout queues are transient with {@code x-expires}.
 */
public final class OsloTopology {
    private final ConnectorConfig config;
    private final String controlExchange;

    public OsloTopology(ConnectorConfig config) {
        this.config = config;
        this.controlExchange = config.controlExchange();
    }

    /** @return the target's exchange, or {@code control_exchange} */
    public String exchange(Target target) {
        return target.exchange() != null ? target.exchange() : controlExchange;
    }

    /** @return {@code topic} or {@code topic.server} */
    public static String routingKey(Target target) {
        return target.server() == null ? target.topic() : target.topic() + "." + target.server();
    }

    /** @return the fanout exchange of a topic; it ignores the target's exchange, as oslo does */
    public static String fanoutExchange(String topic) {
        return topic + "_fanout";
    }

    /** Declares a topic exchange (the control exchange or a target's) with oslo's flags. */
    public void declareTopicExchange(Channel channel, String name) throws IOException {
        channel.exchangeDeclare(name, "topic", config.durableQueues(), config.autoDelete(), null);
    }

    /** Declares a fanout exchange: non-durable, auto-delete. */
    public void declareFanoutExchange(Channel channel, String topic) throws IOException {
        channel.exchangeDeclare(fanoutExchange(topic), "fanout", false, true, null);
    }

    /** Declares a shared queue (topic, topic.server, notification) with oslo's flags and arguments. */
    public void declareSharedQueue(Channel channel, String name) throws IOException {
        channel.queueDeclare(name, config.durableQueues(), false, config.autoDelete(), sharedQueueArguments());
    }

    /** Declares a transient queue (reply, fanout): classic, non-durable, expiring when unused. */
    public void declareTransientQueue(Channel channel, String name) throws IOException {
        channel.queueDeclare(name, false, false, false, transientQueueArguments());
    }

    Map<String, Object> sharedQueueArguments() {
        Map<String, Object> args = new HashMap<>();
        if (config.quorumQueues()) {
            args.put("x-queue-type", "quorum");
            if (config.quorumDeliveryLimit() > 0) {
                args.put("x-delivery-limit", config.quorumDeliveryLimit());
            }
            if (config.quorumMaxMemoryLength() > 0) {
                args.put("x-max-in-memory-length", config.quorumMaxMemoryLength());
            }
            if (config.quorumMaxMemoryBytes() > 0) {
                args.put("x-max-in-memory-bytes", config.quorumMaxMemoryBytes());
            }
        }
        if (config.haQueues()) {
            args.put("x-ha-policy", "all");
        }
        return args.isEmpty() ? null : args;
    }

    Map<String, Object> transientQueueArguments() {
        Map<String, Object> args = new HashMap<>();
        args.put("x-expires", (int) Math.min(Integer.MAX_VALUE, config.transientQueuesTtl().toMillis()));
        if (config.haQueues()) {
            args.put("x-ha-policy", "all");
        }
        return args;
    }
}
