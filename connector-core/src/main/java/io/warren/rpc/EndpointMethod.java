package io.warren.rpc;

import io.warren.Arg;
import io.warren.IncomingRequest;
import io.warren.RequestContext;
import io.warren.wire.JsonCodec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One exposed method of an endpoint, with its keyword arguments bound by name. Binding errors
 * are Python's {@code TypeError}s, worded like Python's, so a Python caller sees what it would
 * see from a Python server.
 */
final class EndpointMethod {
    private final Object endpoint;
    private final Method method;
    private final String rpcName;
    private final String[] names;
    private final boolean[] optional;
    // Kept from the constructor: Method.getParameters() copies its array on every call.
    private final Class<?>[] rawTypes;
    private final java.lang.reflect.Type[] types;
    private final java.util.Set<String> accepted = new java.util.HashSet<>();
    /** {@link io.warren.RpcMethod#quick()}: served on the receiving thread. */
    final boolean quick;
    /** Whether a parameter takes the {@link IncomingRequest}: the server makes one only then. */
    final boolean wantsIncomingRequest;

    EndpointMethod(Object endpoint, Method method, String rpcName) {
        this.endpoint = endpoint;
        this.method = method;
        this.rpcName = rpcName;
        io.warren.RpcMethod declared = method.getAnnotation(io.warren.RpcMethod.class);
        this.quick = declared != null && declared.quick();
        boolean wantsRequest = false;
        for (Class<?> type : method.getParameterTypes()) {
            wantsRequest |= type == IncomingRequest.class;
        }
        this.wantsIncomingRequest = wantsRequest;
        Parameter[] params = method.getParameters();
        this.names = new String[params.length];
        this.optional = new boolean[params.length];
        this.rawTypes = new Class<?>[params.length];
        this.types = new java.lang.reflect.Type[params.length];
        for (int i = 0; i < params.length; i++) {
            rawTypes[i] = params[i].getType();
            types[i] = params[i].getParameterizedType();
        }
        for (int i = 0; i < params.length; i++) {
            if (params[i].getType() == RequestContext.class || params[i].getType() == IncomingRequest.class) {
                continue;
            }
            Arg arg = params[i].getAnnotation(Arg.class);
            if (arg != null) {
                names[i] = arg.value();
                optional[i] = arg.optional();
            } else if (params[i].isNamePresent()) {
                names[i] = params[i].getName();
            } else {
                throw new IllegalArgumentException("parameter " + i + " of " + method + " has no name: annotate it with "
                        + "@io.warren.Arg(\"name\") or compile with -parameters");
            }
        }
        for (String n : names) {
            if (n != null) {
                accepted.add(n);
            }
        }
        method.setAccessible(true);
    }

    String rpcName() {
        return rpcName;
    }

    /** Thrown for argument errors; becomes a {@code builtins.TypeError} failure. */
    static final class ArgumentError extends Exception {
        private static final long serialVersionUID = 1L;

        ArgumentError(String message) {
            super(message, null, false, false);
        }
    }

    /** @param request how the request arrived; null unless {@link #wantsIncomingRequest} */
    Object invoke(Map<String, Object> args, RequestContext context, IncomingRequest request, JsonCodec json)
            throws ArgumentError, Throwable {
        // Python checks unknown keywords before missing ones; so do we, for the same message.
        for (String given : args.keySet()) {
            if (!accepted.contains(given)) {
                throw new ArgumentError(rpcName + "() got an unexpected keyword argument '" + given + "'");
            }
        }
        Object[] values = new Object[names.length];
        List<String> missing = null;
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                values[i] = rawTypes[i] == IncomingRequest.class ? request : context;
                continue;
            }
            if (!args.containsKey(names[i])) {
                if (optional[i]) {
                    values[i] = rawTypes[i].isPrimitive() ? json.convert(0, rawTypes[i]) : null;
                    continue;
                }
                if (missing == null) {
                    missing = new ArrayList<>();
                }
                missing.add(names[i]);
                continue;
            }
            Object given = args.get(names[i]);
            if (given instanceof String && rawTypes[i] == String.class) {
                values[i] = given; // what the codec's conversion would return, without its token buffer
                continue;
            }
            try {
                values[i] = json.convert(given, types[i]);
            } catch (IllegalArgumentException e) {
                throw new ArgumentError(rpcName + "() argument '" + names[i] + "': " + e.getMessage());
            }
        }
        if (missing != null) {
            throw new ArgumentError(rpcName + "() missing " + missing.size() + " required positional argument"
                    + (missing.size() == 1 ? "" : "s") + ": '" + String.join("', '", missing) + "'");
        }
        try {
            return method.invoke(endpoint, values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
