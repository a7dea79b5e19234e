package io.warren.it.reliability;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.it.support.TestBroker;
import java.util.List;

/** What the reliability tests share: cleanup of the objects they declared. */
final class ReliabilityFixtures {
    private ReliabilityFixtures() {
    }

    /** Deletes queues and exchanges on the test broker, ignoring those already gone. */
    static void deleteQuietly(TestBroker broker, List<String> queues, List<String> exchanges) {
        deleteQuietly(broker.connectionFactory(), queues, exchanges);
    }

    /** Deletes queues and exchanges through {@code factory}, ignoring those already gone. */
    static void deleteQuietly(ConnectionFactory factory, List<String> queues, List<String> exchanges) {
        factory.setAutomaticRecoveryEnabled(false);
        try (Connection c = factory.newConnection("warren-it-cleanup")) {
            // One channel per delete: a missing object closes the channel (Broker-J: the connection).
            for (String q : queues) {
                quietly(c, ch -> ch.queueDelete(q));
            }
            for (String x : exchanges) {
                quietly(c, ch -> ch.exchangeDelete(x));
            }
        } catch (Exception e) {
            // the broker dropped the cleanup connection: nothing more to delete through it
        }
    }

    private interface ChannelWork {
        void run(Channel ch) throws Exception;
    }

    private static void quietly(Connection c, ChannelWork work) {
        try (Channel ch = c.createChannel()) {
            work.run(ch);
        } catch (Exception e) {
            // already gone
        }
    }
}
