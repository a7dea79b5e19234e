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
}
