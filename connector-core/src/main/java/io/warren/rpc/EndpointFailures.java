package io.warren.rpc;

import io.warren.EndpointError;
import io.warren.RemoteError;
import io.warren.wire.RpcFailure;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an endpoint's exception becomes in a reply's {@code failure}: an {@link EndpointError}
 * with the identity it was given, a {@link RemoteError} thrown on with the identity it arrived
 * with (module, class, message, args, kwargs and the downstream traceback), anything else under
 * its Java simple name and package. The traceback follows {@code warren_traceback}.
 */
final class EndpointFailures {
    /** Frames of Warren's dispatch and of reflection: noise to the caller, and they tell how Warren is built. */
    private static final String[] DISPATCH_PREFIXES = {"io.warren.rpc.", "jdk.internal.reflect.", "java.lang.reflect.",
            "java.lang.invoke."};
    private static final String DISPATCH_FRAME = EndpointMethod.class.getName();

    private final String tracebackMode;

    /** @param tracebackMode {@code endpoint}, {@code none} or {@code all} (the option's values) */
    EndpointFailures(String tracebackMode) {
        if (!List.of("endpoint", "none", "all").contains(tracebackMode)) {
            throw new IllegalArgumentException("warren_traceback must be endpoint, none or all, got '" + tracebackMode + "'");
        }
        this.tracebackMode = tracebackMode;
    }

    RpcFailure describe(Throwable t) {
        if (t instanceof EndpointError e) {
            return new RpcFailure(e.exceptionClass(), e.module(), e.remoteMessage(), traceback(t), e.args(), e.kwargs());
        }
        if (t instanceof RemoteError r) {
            // A proxy passes the downstream failure on as it came: the caller may rebuild its class.
            List<String> tb = tracebackMode.equals("none") ? List.of() : r.traceback();
            return new RpcFailure(r.exceptionClass(), r.module(), r.remoteMessage(), tb, r.args(), r.kwargs());
        }
        String message = String.valueOf(t.getMessage());
        return new RpcFailure(t.getClass().getSimpleName(), t.getClass().getPackageName(), message, traceback(t),
                t.getMessage() == null ? List.of() : List.of(t.getMessage()), Map.of());
    }

    /** The Java trace as oslo's {@code tb}: one entry per line, each ending in a newline. */
    List<String> traceback(Throwable t) {
        if (tracebackMode.equals("none")) {
            return List.of();
        }
        boolean all = tracebackMode.equals("all");
        List<String> tb = new ArrayList<>();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        String heading = "";
        for (Throwable x = t; x != null && seen.add(x); x = x.getCause()) {
            tb.add(heading + x + "\n");
            for (StackTraceElement frame : x.getStackTrace()) {
                if (!all && frame.getClassName().equals(DISPATCH_FRAME)) {
                    break; // below it: Warren's worker and the thread pool
                }
                if (all || !isDispatch(frame.getClassName())) {
                    tb.add("\tat " + frame + "\n");
                }
            }
            heading = "Caused by: ";
        }
        return tb;
    }

    private static boolean isDispatch(String className) {
        for (String prefix : DISPATCH_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
