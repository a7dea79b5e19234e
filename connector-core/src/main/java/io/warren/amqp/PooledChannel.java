package io.warren.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.impl.recovery.AutorecoveringChannel;

/**
 * A publishing channel with confirms on, and the tracker of its unconfirmed messages. Used by one
 * thread at a time (the pool hands it out exclusively); confirms arrive on the reader thread.
 */
final class PooledChannel {
    final Channel channel;
    final ConfirmTracker confirms;

    PooledChannel(Channel channel, ConfirmTracker confirms) {
        this.channel = channel;
        this.confirms = confirms;
    }

    /** The channel underneath amqp-client's recovering wrapper: it changes at every recovery. */
    Object delegate() {
        return channel instanceof AutorecoveringChannel arc ? arc.getDelegate() : channel;
    }

    boolean isOpen() {
        return channel.isOpen();
    }
}
