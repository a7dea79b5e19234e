package io.warren;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Names the keyword argument a parameter is bound from. Needed unless the endpoint is compiled
 * with {@code -parameters}.
 */
@Retention(RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(ElementType.PARAMETER)
public @interface Arg {
    /** @return the keyword argument's name */
    String value();

    /** @return whether the argument may be left out (the parameter then gets null or zero) */
    boolean optional() default false;
}
