package io.warren.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The channels a connector opened for a longer life than one publish (consumer and service
 * channels, publishing channels of the pool), for the open-channel count of health and JMX.
 * Held weakly: a channel its owner closed and dropped is simply forgotten.
 */
final class LongLivedChannels {
    private final String owner;
    private final Set<Channel> channels = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    LongLivedChannels(String owner) {
        this.owner = owner;
    }

    /** Opens a channel on {@code connection} and counts it while it is open. */
    Channel open(Connection connection) throws IOException {
        Channel ch = connection.createChannel();
        if (ch == null) {
            throw new IOException(owner + " - the broker has no channel left (channel_max reached)");
        }
        channels.add(ch);
        return ch;
    }

    /** @return how many of them are open now */
    int openCount() {
        synchronized (channels) {
            int n = 0;
            for (Channel ch : channels) {
                if (ch.isOpen()) {
                    n++;
                }
            }
            return n;
        }
    }
}
