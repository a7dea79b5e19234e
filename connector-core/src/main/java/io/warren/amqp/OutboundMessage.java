package io.warren.amqp;

import com.rabbitmq.client.AMQP;
import java.time.Duration;
import java.util.Objects;

/**
 * One message to publish with a broker confirm. Immutable.
 *
 * <p>Internal to Warren; not part of the public API.
 */
public final class OutboundMessage {
    private final String exchange;
    private final String routingKey;
    private final boolean mandatory;
    private final AMQP.BasicProperties properties;
    private final byte[] body;
    private final Duration timeout;

    /**
     * @param exchange the exchange ("" for the default exchange)
     * @param routingKey the routing key
     * @param mandatory whether an unroutable message fails the publish (basic.return)
     * @param properties the AMQP properties, exactly as they go on the wire
     * @param body the body; not copied, the caller must not change it afterwards
     * @param timeout the bound on waiting for the confirm (and for a blocked or recovering broker)
     */
    public OutboundMessage(String exchange, String routingKey, boolean mandatory,
                           AMQP.BasicProperties properties, byte[] body, Duration timeout) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.routingKey = Objects.requireNonNull(routingKey, "routingKey");
        this.mandatory = mandatory;
        this.properties = Objects.requireNonNull(properties, "properties");
        this.body = Objects.requireNonNull(body, "body");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public String exchange() {
        return exchange;
    }

    public String routingKey() {
        return routingKey;
    }

    public boolean mandatory() {
        return mandatory;
    }

    public AMQP.BasicProperties properties() {
        return properties;
    }

    public byte[] body() {
        return body;
    }

    public Duration timeout() {
        return timeout;
    }

    /** @return exchange and routing key, for error messages */
    public String destination() {
        return "exchange '" + exchange + "' routing key '" + routingKey + "'";
    }

    @Override
    public String toString() {
        return "OutboundMessage[" + destination() + ", " + body.length + " bytes]";
    }
}
