package io.warren.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.impl.recovery.AutorecoveringChannel;
import java.io.IOException;

/**
 * A publishing channel with confirms on, and the tracker of its unconfirmed messages (or, for
 * calls sent without confirms, a channel without, whose tracker stays empty). Used by one
 * thread at a time (the pool hands it out exclusively); confirms arrive on the reader thread.
 */
final class PooledChannel {
    final Channel channel;
    final ConfirmTracker confirms;

    PooledChannel(Channel channel, ConfirmTracker confirms) {
        this.channel = channel;
        this.confirms = confirms;
    }

    /** Turns confirms on for a newly opened channel and tracks its publishes. */
    static PooledChannel confirming(Channel ch, String owner, PublishCounters counters) throws IOException {
        ch.confirmSelect();
        ConfirmTracker tracker = new ConfirmTracker(owner, counters);
        ch.addConfirmListener(tracker);
        ch.addReturnListener(tracker);
        // Fails the messages of the underlying channel the moment it dies: after recovery its
        // sequence numbers restart and their confirms will never come.
        ch.addShutdownListener(cause -> tracker.failAllOnClosedChannels(BrokerReasons.of(cause)));
        return new PooledChannel(ch, tracker);
    }

    /**
     * A publishing channel without confirms (warren_rpc_call_confirms=false): its tracker stays
     * empty, so nothing ever waits on it.
     */
    static PooledChannel unconfirmed(Channel ch, String owner, PublishCounters counters) {
        return new PooledChannel(ch, new ConfirmTracker(owner, counters));
    }

    /** The channel underneath amqp-client's recovering wrapper: it changes at every recovery. */
    Object delegate() {
        return channel instanceof AutorecoveringChannel arc ? arc.getDelegate() : channel;
    }

    boolean isOpen() {
        return channel.isOpen();
    }
}
