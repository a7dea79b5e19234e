package io.warren.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.TopologyRecoveryException;
import com.rabbitmq.client.impl.AMQConnection;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * amqp-client's error reports, in Warren's voice: one line each, named after the connector.
 * Failed recovery attempts are logged at debug only, because the connector logs a recovery once
 * when it starts and once when it ends, not a stack trace per attempt. A connection that failed has
 * its socket closed at once (see {@link #handleUnexpectedConnectionDriverException}).
 */
final class QuietExceptionHandler extends ForgivingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(QuietExceptionHandler.class);
    private final String owner;

    QuietExceptionHandler(String owner) {
        this.owner = owner;
    }

    /**
     * amqp-client calls this on the connection's reader thread when the connection has failed
     * (heartbeats missed, a read error), right before it shuts the channels down. The socket is
     * closed here, not only once that is done: a thread blocked writing to it (a large publish on a
     * stalled network) holds its channel's lock, the channel's shutdown waits for that lock, and
     * {@code ChannelManager.handleSignal} waits up to 1.05 x heartbeat for each such channel before
     * recovery may begin. Closed, the write fails at once. amqp-client closes the socket itself a
     * moment later (a second close does nothing); this waits at most its one-second flush.
     */
    @Override
    public void handleUnexpectedConnectionDriverException(Connection conn, Throwable exception) {
        super.handleUnexpectedConnectionDriverException(conn, exception);
        if (conn instanceof AMQConnection failed && failed.getFrameHandler() != null) {
            failed.getFrameHandler().close();
        }
    }

    @Override
    public void handleConnectionRecoveryException(Connection conn, Throwable exception) {
        LOG.debug("{} - recovery attempt failed: {}", owner, exception.toString());
    }

    @Override
    public void handleTopologyRecoveryException(Connection conn, Channel ch, TopologyRecoveryException exception) {
        LOG.warn("{} - could not recover topology: {}", owner, exception.getMessage());
    }

    @Override
    public void handleConsumerException(Channel channel, Throwable exception, Consumer consumer,
                                        String consumerTag, String methodName) {
        LOG.warn("{} - consumer {} failed in {}: {}", owner, consumerTag, methodName, exception.toString(), exception);
    }

    @Override
    protected void log(String message, Throwable e) {
        LOG.warn("{} - {}: {}", owner, message, e.toString());
    }
}
