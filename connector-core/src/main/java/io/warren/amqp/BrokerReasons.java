package io.warren.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

/** Why the broker or the socket ended something, in words fit for a log line, health and JMX. */
final class BrokerReasons {
    private BrokerReasons() {
    }

    /** @return the broker's reply code and text (e.g. {@code 320 CONNECTION_FORCED - ...}), else the I/O cause */
    static String of(ShutdownSignalException cause) {
        Object reason = cause.getReason();
        if (reason instanceof AMQP.Connection.Close close) {
            return close.getReplyCode() + " " + close.getReplyText();
        }
        if (reason instanceof AMQP.Channel.Close close) {
            return close.getReplyCode() + " " + close.getReplyText();
        }
        return cause.getCause() != null ? cause.getCause().toString() : String.valueOf(cause.getMessage());
    }

    /** Exception text that never carries credentials: amqp-client messages name hosts, not users. */
    static String safeMessage(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
