package io.warren;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Exposes a method to RPC. When a class has no method marked so, all its public methods are
 * exposed (as in oslo, where every public method of an endpoint is callable). Names starting with
 * {@code _} are never callable.
 */
@Retention(RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(ElementType.METHOD)
public @interface RpcMethod {
    /** @return the RPC method name; the Java name when empty */
    String value() default "";

    /**
     * Whether the method is quick: it returns at once and never blocks (no I/O, no waiting on a
     * lock, no RPC call of its own). A quick method runs on the thread that received the request,
     * with no hand-off to the server's worker pool (one thread wake-up less per call); it is still
     * acked before it runs and counted in the prefetch. A slow method marked quick holds up every
     * request of its server behind it, and one of the connector's {@code warren_consumer_threads}.
     *
     * @return true to serve the method on the receiving thread
     */
    boolean quick() default false;
}
