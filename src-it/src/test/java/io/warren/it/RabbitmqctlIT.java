package io.warren.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.Rabbitmqctl.ConnectionInfo;
import io.warren.it.support.Rabbitmqctl.ExchangeInfo;
import io.warren.it.support.Rabbitmqctl.QueueInfo;
import io.warren.it.support.TestBroker;

/** Rabbitmqctl reads and changes the shared broker, touching only what this test made. */
@ExtendWith(TestBroker.Resolver.class)
class RabbitmqctlIT {

    @Test
    void listsAndClosesOurConnectionAndListsAndDeletesOurQueue(TestBroker broker) throws Exception {
        Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "the Rabbitmqctl check");
        String name = "warren-it-ctl-" + UUID.randomUUID();
        ConnectionFactory factory = broker.connectionFactory();
        factory.setAutomaticRecoveryEnabled(false);
        Connection connection = factory.newConnection(name);
        try {
            BlockingQueue<String> closes = new LinkedBlockingQueue<>();
            connection.addShutdownListener(cause -> closes.add(cause.getMessage()));
            Channel channel = connection.createChannel();
            channel.queueDeclare(name, false, false, false, Map.of("x-expires", 60_000));
            channel.exchangeDeclare(name, "fanout", false, true, null);

            ConnectionInfo ours = ctl.listConnections().stream()
                    .filter(c -> name.equals(c.connectionName())).findFirst().orElseThrow();
            QueueInfo queue = ctl.listQueues().stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
            ExchangeInfo exchange = ctl.listExchanges().stream().filter(e -> e.name().equals(name)).findFirst()
                    .orElseThrow();
            ctl.deleteQueue(name);
            boolean queueGone = ctl.listQueues().stream().noneMatch(q -> q.name().equals(name));
            int closed = ctl.closeConnectionsNamed(name, "closed by RabbitmqctlIT");

            assertThat(ours.state()).isEqualTo("running");
            assertThat(ours.user()).isEqualTo("guest");
            assertThat(ours.clientProperties()).containsEntry("product", "RabbitMQ");
            assertThat(ours.clientProperties().get("capabilities")).isInstanceOf(Map.class);
            assertThat(queue.arguments()).containsEntry("x-expires", 60_000L);
            assertThat(queue.durable()).isFalse();
            assertThat(exchange.type()).isEqualTo("fanout");
            assertThat(queueGone).isTrue();
            assertThat(closed).isEqualTo(1);
            assertThat(closes.poll(15, TimeUnit.SECONDS)).contains("closed by RabbitmqctlIT");
        } finally {
            connection.abort(5_000);
        }
    }

    @Test
    void readsTheMemoryWatermarkAndSetsItBackUnchanged(TestBroker broker) {
        Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "the memory watermark read-back");
        Rabbitmqctl.MemoryWatermark current = ctl.vmMemoryHighWatermark();

        // Setting the value it already has: the shared broker serves other test runs.
        ctl.setVmMemoryHighWatermark(current);

        assertThat(ctl.vmMemoryHighWatermark()).isEqualTo(current);
    }
}
