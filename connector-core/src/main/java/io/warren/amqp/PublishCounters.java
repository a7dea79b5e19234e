package io.warren.amqp;

import java.util.concurrent.atomic.LongAdder;

/** Counts of what the publisher did, read by health and JMX. */
final class PublishCounters {
    final LongAdder published = new LongAdder();
    final LongAdder confirmed = new LongAdder();
    final LongAdder nacked = new LongAdder();
    final LongAdder returned = new LongAdder();
    final LongAdder failed = new LongAdder();
}
