package io.warren;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-call settings, oslo's {@code prepare(...)}: the reply timeout, the call-monitor timeout
 * (the server sends keep-alives; the call fails when they stop), the request context (travels as
 * {@code _context_<key>} members), and a version that overrides the target's. Immutable.
 */
public final class CallOptions {
    private static final CallOptions DEFAULTS = new CallOptions(null, null, Map.of(), null);

    private final Duration timeout;
    private final Duration callMonitorTimeout;
    private final Map<String, Object> context;
    private final String version;

    private CallOptions(Duration timeout, Duration callMonitorTimeout, Map<String, Object> context, String version) {
        this.timeout = timeout;
        this.callMonitorTimeout = callMonitorTimeout;
        this.context = context;
        this.version = version;
    }

    /** @return options that change nothing: {@code rpc_response_timeout}, no call monitor, no context */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param timeout how long the call waits for its reply; positive
     * @return these options with that timeout instead of {@code rpc_response_timeout}
     */
    public CallOptions timeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new CallOptions(timeout, callMonitorTimeout, context, version);
    }

    /**
     * @param timeout the longest gap between the server's keep-alives before the call fails; positive
     * @return these options with a call monitor, sent as {@code _timeout}
     */
    public CallOptions callMonitorTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("call monitor timeout must be positive, got " + timeout);
        }
        return new CallOptions(this.timeout, timeout, context, version);
    }

    /**
     * @param context the request context the server receives (e.g. {@code request_id}, {@code project_id})
     * @return these options with that context, replacing any earlier one
     */
    public CallOptions context(Map<String, ?> context) {
        return new CallOptions(timeout, callMonitorTimeout, new LinkedHashMap<>(Objects.requireNonNull(context, "context")), version);
    }

    /**
     * @param version {@code "major.minor"}
     * @return these options with a version that overrides the target's
     */
    public CallOptions version(String version) {
        Target.topic("x").version(version); // validates
        return new CallOptions(timeout, callMonitorTimeout, context, version);
    }

    /** @return the reply timeout, or null for {@code rpc_response_timeout} */
    public Duration timeout() {
        return timeout;
    }

    /** @return the call-monitor timeout, or null */
    public Duration callMonitorTimeout() {
        return callMonitorTimeout;
    }

    /** @return the request context; empty when none was given */
    public Map<String, Object> context() {
        return context;
    }

    /** @return the version override, or null */
    public String version() {
        return version;
    }

    @Override
    public String toString() {
        // The context may hold tokens: only its keys are shown.
        return "CallOptions[timeout=" + timeout + ", callMonitor=" + callMonitorTimeout + ", context keys="
                + context.keySet() + ", version=" + version + "]";
    }
}
