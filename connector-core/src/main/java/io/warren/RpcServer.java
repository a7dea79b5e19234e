package io.warren;

/**
 * An RPC server started by a {@link Connector}: it consumes the topic queue, the
 * {@code topic.server} queue and its own fanout queue, and runs requests on a bounded pool.
 * The connector stops it before its connections close; it can also be stopped alone.
 */
public interface RpcServer {
    /** @return the target it serves (topic and server) */
    Target target();

    /** Stops taking requests, lets running ones finish (bounded), deletes its fanout queue. Idempotent. */
    void stop();

    /** @return whether it still takes requests */
    boolean isRunning();
}
