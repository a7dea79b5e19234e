package io.warren;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A failure an RPC endpoint raises with the Python identity the caller should see: module, class,
 * message, args and kwargs go into the reply as they are given. A Python caller whose transport
 * has the module in {@code allowed_remote_exmods} rebuilds that very class, so
 * {@code EndpointError.of("nova.exception", "InstanceNotFound", "Instance vm-1 could not be found.")
 * .withKwargs(Map.of("instance_id", "vm-1"))} is caught there as {@code nova.exception.InstanceNotFound}.
 * Any other exception is sent under its Java simple name and package; a {@link RemoteError} thrown
 * on is forwarded with the identity it arrived with.
 *
 * <p>Args and kwargs must be JSON values (strings, numbers, booleans, null, lists, maps): Python
 * calls {@code klass(*args, **kwargs)} with them.
 */
public class EndpointError extends WarrenException {
    private static final long serialVersionUID = 1L;

    /** The Python module the failure names, e.g. {@code nova.exception}. */
    private final String module;
    /** The Python class name the failure names, e.g. {@code InstanceNotFound}. */
    private final String exceptionClass;
    /** The message sent, as Python's {@code str(exception)} would be. */
    private final String remoteMessage;
    private final transient List<Object> args;
    private final transient Map<String, Object> kwargs;

    /**
     * @param module the Python module, e.g. {@code nova.exception}
     * @param exceptionClass the class name in that module, e.g. {@code InstanceNotFound}
     * @param message the message; also the only positional argument, as Python's {@code Exception(message)}
     * @param args the positional arguments the caller's class is built with
     * @param kwargs the keyword arguments the caller's class is built with (OpenStack's exceptions take them)
     * @param cause the Java cause, for the logs and the traceback; may be null
     */
    protected EndpointError(String module, String exceptionClass, String message, List<?> args, Map<String, ?> kwargs,
                            Throwable cause) {
        super(exceptionClass + ": " + message, cause);
        this.module = requireName(module, "module");
        this.exceptionClass = requireName(exceptionClass, "exceptionClass");
        this.remoteMessage = message == null ? "" : message;
        this.args = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(args, "args")));
        this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(kwargs, "kwargs")));
    }

    /**
     * A failure with one positional argument, the message, and no kwargs.
     *
     * @param module the Python module, e.g. {@code nova.exception}
     * @param exceptionClass the class name in that module, e.g. {@code InstanceNotFound}
     * @param message the message
     * @return the failure, to throw
     */
    public static EndpointError of(String module, String exceptionClass, String message) {
        return new EndpointError(module, exceptionClass, message, message == null ? List.of() : List.of(message),
                Map.of(), null);
    }

    /**
     * @param newArgs the positional arguments, in place of the message alone
     * @return a copy with these arguments
     */
    public EndpointError withArgs(List<?> newArgs) {
        return new EndpointError(module, exceptionClass, remoteMessage, newArgs, kwargs, getCause());
    }

    /**
     * @param newKwargs the keyword arguments, e.g. {@code instance_id}
     * @return a copy with these keyword arguments
     */
    public EndpointError withKwargs(Map<String, ?> newKwargs) {
        return new EndpointError(module, exceptionClass, remoteMessage, args, newKwargs, getCause());
    }

    /**
     * @param cause the Java failure behind this one (logged and in the traceback, not sent as identity)
     * @return a copy with this cause
     */
    public EndpointError withCause(Throwable cause) {
        return new EndpointError(module, exceptionClass, remoteMessage, args, kwargs, cause);
    }

    /** @return the Python module sent */
    public String module() {
        return module;
    }

    /** @return the Python class name sent */
    public String exceptionClass() {
        return exceptionClass;
    }

    /** @return the message sent */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** @return the positional arguments sent */
    public List<Object> args() {
        return args;
    }

    /** @return the keyword arguments sent */
    public Map<String, Object> kwargs() {
        return kwargs;
    }

    private static String requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must name a Python " + (what.equals("module")
                    ? "module, e.g. nova.exception" : "class, e.g. InstanceNotFound") + ", got "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }
}
