package io.warren.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the connector declared on its long-lived topology channel, once per key. A declaration
 * the broker refuses (406 PRECONDITION_FAILED, say) kills that channel; it is then reopened and
 * every earlier declaration replayed on it, because amqp-client recovers only what was declared
 * on channels that are still open.
 */
final class TopologyRegistry {
    private final Object lock = new Object();
    private final Map<String, ConnectorRuntime.TopologyWork> declared = new LinkedHashMap<>();
    // Every call and cast asks for its exchange; once declared, no caller should queue on the
    // lock behind the others just to learn that.
    private final Set<String> declaredKeys = ConcurrentHashMap.newKeySet();
    private Connection connection;
    private Channel channel;

    /** Opens the topology channel on a newly opened consume connection. */
    void open(Connection consumeConnection) throws IOException {
        synchronized (lock) {
            connection = consumeConnection;
            channel = consumeConnection.createChannel();
        }
    }

    /**
     * @param key identifies the declaration (e.g. {@code exchange:nova}); a key seen before is skipped
     * @param work the declarations, idempotent
     */
    void declare(String key, ConnectorRuntime.TopologyWork work) throws IOException {
        if (declaredKeys.contains(key)) {
            return;
        }
        synchronized (lock) {
            if (declared.containsKey(key)) {
                return;
            }
            try {
                work.run(channel);
                declared.put(key, work);
                declaredKeys.add(key);
            } catch (IOException | RuntimeException e) {
                if (!channel.isOpen()) {
                    reopen();
                }
                throw e;
            }
        }
    }

    /** Forgets a declaration (its object was deleted), so it is not replayed. */
    void forget(String key) {
        synchronized (lock) {
            declaredKeys.remove(key);
            declared.remove(key);
        }
    }

    private void reopen() throws IOException {
        channel = connection.createChannel();
        for (ConnectorRuntime.TopologyWork w : declared.values()) {
            w.run(channel);
        }
    }
}
