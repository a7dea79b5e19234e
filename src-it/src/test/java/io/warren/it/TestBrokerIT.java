package io.warren.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.warren.it.support.BoundedProcess;
import io.warren.it.support.TestBroker;

/** The broker fixture works on whichever broker was chosen: plain amqp-client round trips. */
@ExtendWith(TestBroker.Resolver.class)
class TestBrokerIT {

    @Test
    void publishesWithConfirmsAndConsumesThroughATopicExchange(TestBroker broker) throws Exception {
        String exchange = "warren-it.smoke." + UUID.randomUUID();
        String queue = "warren-it.smoke." + UUID.randomUUID();
        try (Connection connection = broker.connectionFactory().newConnection("warren-it-smoke")) {
            Channel channel = connection.createChannel();
            try {
                channel.exchangeDeclare(exchange, "topic", false, false, null);
                channel.queueDeclare(queue, false, false, false, null);
                channel.queueBind(queue, exchange, "smoke.#");
                channel.confirmSelect();
                for (int i = 0; i < 3; i++) {
                    channel.basicPublish(exchange, "smoke.m" + i, new AMQP.BasicProperties.Builder()
                            .contentType("application/json").correlationId("c" + i).build(),
                            ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8));
                }
                channel.waitForConfirmsOrDie(Duration.ofSeconds(10).toMillis());

                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                channel.basicQos(1);
                channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                            byte[] body) throws java.io.IOException {
                        received.add(envelope.getRoutingKey() + " " + properties.getCorrelationId() + " "
                                + new String(body, StandardCharsets.UTF_8));
                        getChannel().basicAck(envelope.getDeliveryTag(), false);
                    }
                });
                List<String> messages = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String message = received.poll(10, TimeUnit.SECONDS);
                    assertThat(message).as("message %d of 3 within 10 s", i + 1).isNotNull();
                    messages.add(message);
                }

                assertThat(messages).containsExactly(
                        "smoke.m0 c0 {\"n\": 0}", "smoke.m1 c1 {\"n\": 1}", "smoke.m2 c2 {\"n\": 2}");
            } finally {
                channel.queueDelete(queue);
                channel.exchangeDelete(exchange);
            }
        }
    }

    @Test
    void transportUrlIsOsloStyleAndMatchesTheBroker(TestBroker broker) {
        assertThat(broker.transportUrl())
                .isEqualTo("rabbit://guest:guest@" + broker.host() + ":" + broker.port() + "/");
        assertThat(broker.isRabbitMq()).isNotEqualTo(broker.isEmbedded());
        assertThat(broker.toString()).doesNotContain("guest:guest");
    }

    @Test
    void osloMessagingReadsTheTransportUrlAsThisBroker(TestBroker broker) {
        broker.requireOsloPeer("parsing TestBroker's transport URL with oslo.messaging");
        String script = String.join("\n",
                "import sys",
                "from oslo_config import cfg",
                "import oslo_messaging",
                "url = oslo_messaging.TransportURL.parse(cfg.CONF, sys.argv[1])",
                "host = url.hosts[0]",
                "print(url.transport, host.hostname, host.port, host.username, repr(url.virtual_host))");

        BoundedProcess.Result parsed = BoundedProcess.run(Duration.ofSeconds(60),
                List.of(TestBroker.OSLO_PYTHON, "-c", script, broker.transportUrl()), Map.of());

        assertThat(parsed.requireSuccess().output().strip())
                .isEqualTo("rabbit " + broker.host() + " " + broker.port() + " guest ''");
    }

    @Test
    void serverIdentifiesItselfAsRabbitMq(TestBroker broker) throws Exception {
        broker.requireRabbitMq("the server-properties check of the RabbitMQ fixture");
        try (Connection connection = broker.connectionFactory().newConnection("warren-it-identity")) {
            assertThat(connection.getServerProperties().get("product")).hasToString("RabbitMQ");
        }
    }
}
