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
}
