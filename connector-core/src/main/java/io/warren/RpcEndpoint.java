package io.warren;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Marks a class whose objects serve RPC, with the namespace and version oslo matches requests
 * against. Without it an endpoint has oslo's defaults: no namespace, version 1.0.
 */
@Retention(RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(ElementType.TYPE)
public @interface RpcEndpoint {
    /** @return the namespace; empty for none (oslo's {@code None}) */
    String namespace() default "";

    /** @return the endpoint version, {@code "major.minor"} */
    String version() default "1.0";
}
