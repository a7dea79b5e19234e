package io.warren.wire;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.warren.ConnectorConfig;
import io.warren.Target;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * oslo's names and declaration flags (PROTOCOL §2), as oslo.messaging 18.1's rabbit driver
 * declares them (the same as 14's when none of 18's options is on). RabbitMQ refuses a
 * re-declaration with other flags (406), so every shared object is declared exactly as a Python
 * deployment with the same options declares it:
 *
 * <ul>
 *   <li>the control exchange and the topic, server and notification queues follow
 *       {@code amqp_durable_queues} / {@code amqp_auto_delete} / {@code rabbit_quorum_queue} /
 *       {@code rabbit_ha_queues};
 *   <li>reply and fanout queues expire when unused ({@code x-expires}); with
 *       {@code rabbit_transient_quorum_queue} they are durable quorum queues, and the fanout
 *       exchanges durable (oslo 18's {@code declare_direct_consumer}, {@code declare_fanout_consumer},
 *       {@code fanout_send});
 *   <li>with {@code rabbit_stream_fanout} a topic has one fanout queue, the stream
 *       {@code <topic>_fanout}, shared by every server and kept for {@code x-max-age};
 *   <li>with {@code use_queue_manager} reply and fanout queues are named
 *       {@code <hostname>:<processname>:<n>} instead of a random id, so a restarted service takes
 *       its old queues back (oslo's {@code QManager}).
 * </ul>
 */
public final class OsloTopology {
    /** How many stable names are tried before giving up: each one taken is another live consumer. */
    private static final int STABLE_NAME_TRIES = 1000;

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

    /** Declares a fanout exchange: auto-delete; durable with {@code rabbit_transient_quorum_queue}. */
    public void declareFanoutExchange(Channel channel, String topic) throws IOException {
        channel.exchangeDeclare(fanoutExchange(topic), "fanout", config.transientQuorumQueues(), true, null);
    }

    /** Declares a shared queue (topic, topic.server, notification) with oslo's flags and arguments. */
    public void declareSharedQueue(Channel channel, String name) throws IOException {
        channel.queueDeclare(name, config.durableQueues(), false, config.autoDelete(), sharedQueueArguments());
    }

    /**
     * Declares this connector's reply queue: {@code reply_<random id>}, or with the queue manager the
     * first {@code reply_<hostname>:<processname>:<n>} nobody consumes.
     *
     * @return the queue's name
     */
    public String declareReplyQueue(Channel channel) throws IOException {
        return declareOwn(channel, "reply_", false);
    }

    /**
     * Declares a server's fanout queue: the topic's one stream with {@code rabbit_stream_fanout},
     * else {@code <topic>_fanout_<random id>}, or with the queue manager the first
     * {@code <topic>_fanout_<hostname>:<processname>:<n>} nobody consumes.
     *
     * @return the queue's name
     */
    public String declareFanoutQueue(Channel channel, String topic) throws IOException {
        if (config.streamFanout()) {
            String name = fanoutExchange(topic);
            channel.queueDeclare(name, true, false, false, streamArguments());
            return name;
        }
        return declareOwn(channel, fanoutExchange(topic) + "_", true);
    }

    /**
     * oslo's rule for deleting on a clean stop: a random-named fanout queue goes; the shared stream
     * stays (deleting it would cancel every other server's consumer), and so do stable names (a
     * restart takes them back; they expire when unused).
     */
    public boolean deletesFanoutQueueOnStop() {
        return !config.streamFanout() && !config.useQueueManager();
    }

    /** The reply queue is deleted on stop unless its name is stable (oslo leaves it to expire). */
    public boolean deletesReplyQueueOnStop() {
        return !config.useQueueManager();
    }

    /**
     * {@code x-stream-offset} for a fanout stream consumer: where a new consumer starts. oslo starts
     * at "last" (the last chunk, which replays the casts in it to a server that just started);
     * Warren starts at "next" and resumes after the last offset it saw when its consumer recovers.
     */
    public static String streamStartOffset() {
        return "next";
    }

    /**
     * Declares again, under the name {@link #declareReplyQueue} or {@link #declareFanoutQueue} gave
     * it, a queue of this connector's own that the broker lost (deleted by an operator, say).
     *
     * @param fanoutTopic the topic, for a fanout queue; null for the reply queue
     */
    public void declareOwnAgain(Channel channel, String name, String fanoutTopic) throws IOException {
        if (fanoutTopic != null && config.streamFanout()) {
            channel.queueDeclare(name, true, false, false, streamArguments());
        } else {
            channel.queueDeclare(name, config.transientQuorumQueues(), false, false, transientQueueArguments());
        }
    }

    /** Declares a reply or fanout queue of this connector's own under its name. */
    private String declareOwn(Channel channel, String prefix, boolean fanout) throws IOException {
        boolean durable = config.transientQuorumQueues();
        Map<String, Object> args = transientQueueArguments();
        if (!config.useQueueManager()) {
            String name = prefix + OsloEnvelope.newId();
            channel.queueDeclare(name, durable, false, false, args);
            return name;
        }
        // oslo counts per host and process name in a file shared by the processes of a host; Warren
        // asks the broker instead: the first stable name with no consumer is free (this process's
        // own from before a restart, typically), one with a consumer belongs to someone running.
        String stem = prefix + config.queueManagerHostname() + ":" + config.queueManagerProcessname() + ":";
        for (int n = 1; n <= STABLE_NAME_TRIES; n++) {
            String name = stem + n;
            AMQP.Queue.DeclareOk ok = channel.queueDeclare(name, durable, false, false, args);
            if (ok.getConsumerCount() == 0) {
                return name;
            }
        }
        throw new IOException("use_queue_manager: the " + (fanout ? "fanout" : "reply") + " queues " + stem
                + "1 to " + stem + STABLE_NAME_TRIES + " all have consumers; give this connector a"
                + " hostname/processname of its own");
    }

    Map<String, Object> sharedQueueArguments() {
        Map<String, Object> args = new HashMap<>();
        if (config.quorumQueues()) {
            putQuorumArguments(args);
        }
        if (config.haQueues()) {
            args.put("x-ha-policy", "all");
        }
        return args.isEmpty() ? null : args;
    }

    /** oslo's {@code _get_queue_arguments} for reply and classic fanout queues. */
    Map<String, Object> transientQueueArguments() {
        Map<String, Object> args = new HashMap<>();
        if (config.transientQuorumQueues()) {
            putQuorumArguments(args);
        }
        long ttlMillis = config.transientQueuesTtl().toMillis();
        if (ttlMillis > 0) {
            args.put("x-expires", (int) Math.min(Integer.MAX_VALUE, ttlMillis));
        }
        if (config.haQueues()) {
            args.put("x-ha-policy", "all");
        }
        return args;
    }

    /** oslo replaces every other argument of a stream: its type, and the TTL as retention. */
    Map<String, Object> streamArguments() {
        Map<String, Object> args = new HashMap<>();
        args.put("x-queue-type", "stream");
        long ttlSeconds = config.transientQueuesTtl().getSeconds();
        if (ttlSeconds > 0) {
            args.put("x-max-age", ttlSeconds + "s");
        }
        return args;
    }

    private void putQuorumArguments(Map<String, Object> args) {
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
}
