package io.warren;

import io.warren.metrics.MetricsRecorder;

/** Lets tests outside this package reach the connector's test seams, as Warren's own packages do. */
public final class EngineAccess {
    private EngineAccess() {
    }

    /** @return the builder, reporting to {@code recorder} instead of Micrometer */
    public static Connector.Builder metrics(Connector.Builder builder, MetricsRecorder recorder) {
        return builder.metrics(recorder);
    }

    /** @return the calls in the connector's pending-call map now */
    public static int pendingCalls(Connector connector) {
        return connector.pendingCalls();
    }

    /** @return the publishes in the connector's confirm trackers now */
    public static int unconfirmedPublishes(Connector connector) {
        return connector.unconfirmedPublishes();
    }
}
