package io.warren;

import java.time.Duration;
import java.util.Objects;

/**
 * How one RPC request arrived: cast or call, its {@code msg_id} and reply address, the exchange and
 * routing key it came by, its envelope version and content type, and whether the caller runs a
 * call monitor (oslo's {@code call_monitor_timeout}, sent as {@code _timeout}; the server then
 * sends keep-alives while the method runs). An endpoint method receives it by declaring a
 * parameter of this type, as it does {@link RequestContext}; it is made only for methods that
 * declare one.
 *
 * <p>Applications build one with {@link #builder()} to test their endpoints.
 */
public final class IncomingRequest {
    private final boolean call;
    private final String msgId;
    private final String replyTo;
    private final String exchange;
    private final String routingKey;
    private final String envelopeVersion;
    private final String contentType;
    private final Duration callMonitorTimeout;

    private IncomingRequest(Builder b) {
        this.call = b.msgId != null;
        this.msgId = b.msgId;
        this.replyTo = b.replyTo;
        this.exchange = b.exchange;
        this.routingKey = b.routingKey;
        this.envelopeVersion = b.envelopeVersion;
        this.contentType = b.contentType;
        this.callMonitorTimeout = b.callMonitorTimeout;
    }

    /** @return a builder for a cast; {@link Builder#call(String, String)} makes it a call */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true for a call (a reply is expected), false for a cast */
    public boolean isCall() {
        return call;
    }

    /** @return true for a cast (no reply; oslo's {@code cast} and fanout casts) */
    public boolean isCast() {
        return !call;
    }

    /** @return the call's {@code _msg_id}, the id its replies carry; null for a cast */
    public String msgId() {
        return msgId;
    }

    /** @return where the reply goes ({@code _reply_q}: a {@code reply_<uuid>} queue, or a direct reply-to address); null for a cast */
    public String replyTo() {
        return replyTo;
    }

    /** @return the exchange the request came by: the target's (e.g. {@code nova}) or {@code <topic>_fanout} for a fanout cast */
    public String exchange() {
        return exchange;
    }

    /** @return the routing key it came by: {@code <topic>} or {@code <topic>.<server>} */
    public String routingKey() {
        return routingKey;
    }

    /** @return the envelope's {@code oslo.version}: {@code 2.0}, or {@code 1.0} for a message sent without envelope */
    public String envelopeVersion() {
        return envelopeVersion;
    }

    /** @return the AMQP content type ({@code application/json}, the only one Warren reads) */
    public String contentType() {
        return contentType;
    }

    /** @return whether the caller runs a call monitor (a call with a positive {@code _timeout}) */
    public boolean hasCallMonitor() {
        return callMonitorTimeout != null;
    }

    /** @return the caller's call-monitor timeout, or null when it runs none */
    public Duration callMonitorTimeout() {
        return callMonitorTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IncomingRequest r && call == r.call && Objects.equals(msgId, r.msgId)
                && Objects.equals(replyTo, r.replyTo) && Objects.equals(exchange, r.exchange)
                && Objects.equals(routingKey, r.routingKey) && Objects.equals(envelopeVersion, r.envelopeVersion)
                && Objects.equals(contentType, r.contentType) && Objects.equals(callMonitorTimeout, r.callMonitorTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(call, msgId, replyTo, exchange, routingKey, envelopeVersion, contentType, callMonitorTimeout);
    }

    @Override
    public String toString() {
        return "IncomingRequest[" + (call ? "call " + msgId + " reply to " + replyTo : "cast") + " via " + exchange
                + " / " + routingKey + ", envelope " + envelopeVersion + ", " + contentType
                + (callMonitorTimeout == null ? "" : ", call monitor " + callMonitorTimeout) + "]";
    }

    /** Builds an {@link IncomingRequest}; a cast until {@link #call(String, String)}. */
    public static final class Builder {
        private String msgId;
        private String replyTo;
        private String exchange;
        private String routingKey;
        private String envelopeVersion = "2.0";
        private String contentType = "application/json";
        private Duration callMonitorTimeout;

        private Builder() {
        }

        /**
         * @param callMsgId the {@code _msg_id}
         * @param callReplyTo the {@code _reply_q}
         * @return this builder, now for a call
         */
        public Builder call(String callMsgId, String callReplyTo) {
            this.msgId = Objects.requireNonNull(callMsgId, "msgId");
            this.replyTo = Objects.requireNonNull(callReplyTo, "replyTo");
            return this;
        }

        /**
         * @param viaExchange the exchange the request came by
         * @param viaRoutingKey its routing key
         * @return this builder
         */
        public Builder route(String viaExchange, String viaRoutingKey) {
            this.exchange = viaExchange;
            this.routingKey = viaRoutingKey;
            return this;
        }

        /**
         * @param version {@code 2.0} (the default) or {@code 1.0}
         * @return this builder
         */
        public Builder envelopeVersion(String version) {
            this.envelopeVersion = version;
            return this;
        }

        /**
         * @param type the AMQP content type; {@code application/json} by default
         * @return this builder
         */
        public Builder contentType(String type) {
            this.contentType = type;
            return this;
        }

        /**
         * @param timeout the caller's call-monitor timeout, positive, or null for none
         * @return this builder
         */
        public Builder callMonitorTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("callMonitorTimeout must be positive or null (no call monitor), got "
                        + timeout);
            }
            this.callMonitorTimeout = timeout;
            return this;
        }

        /**
         * @return the request view
         * @throws IllegalStateException when a cast is given a call monitor
         */
        public IncomingRequest build() {
            if (msgId == null && callMonitorTimeout != null) {
                throw new IllegalStateException("a cast has no call monitor: call(msgId, replyTo) first");
            }
            return new IncomingRequest(this);
        }
    }
}
