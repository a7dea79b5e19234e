package io.warren.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import io.warren.it.support.EmbeddedBroker;

/**
 * The embedded fallback broker behaves as TestBroker promises: oslo's queue arguments are accepted,
 * reject without requeue drops, and it restarts on its old port. Runs on its own private broker,
 * whatever broker the other tests use.
 */
class EmbeddedBrokerIT {

    @Test
    void acceptsOsloQueueArgumentsAndDropsRejectedMessages() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(broker.amqpUri());
            factory.setAutomaticRecoveryEnabled(false);
            try (Connection connection = factory.newConnection("warren-it-embedded")) {
                Channel channel = connection.createChannel();
                channel.queueDeclare("reply_abc", false, false, false, Map.of("x-expires", 1_800_000));
                channel.basicPublish("", "reply_abc", null, "m".getBytes(StandardCharsets.UTF_8));
                GetResponse first = channel.basicGet("reply_abc", false);
                channel.basicReject(first.getEnvelope().getDeliveryTag(), false);

                assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).isEqualTo("m");
                assertThat(channel.basicGet("reply_abc", false)).as("message after reject(requeue=false)").isNull();
                assertThat(channel.isOpen()).isTrue();
            }
        }
    }

    @Test
    void restartsOnItsOldPortAndClosingFreesThePort() throws Exception {
        int port;
        try (EmbeddedBroker first = EmbeddedBroker.start()) {
            port = first.port();
        }
        try (EmbeddedBroker second = EmbeddedBroker.start(port)) {
            assertThat(second.port()).isEqualTo(port);
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(second.amqpUri());
            factory.setAutomaticRecoveryEnabled(false);
            try (Connection connection = factory.newConnection("warren-it-restart")) {
                assertThat(connection.isOpen()).isTrue();
            }
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void aTakenPortIsAClearError() {
        try (EmbeddedBroker first = EmbeddedBroker.start()) {
            assertThatThrownBy(() -> EmbeddedBroker.start(first.port()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not bind 127.0.0.1:" + first.port());
        }
    }
}
