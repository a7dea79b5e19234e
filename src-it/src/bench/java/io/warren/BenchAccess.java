package io.warren;

import io.warren.amqp.ConnectorRuntime;

/** Lets the benchmarks reach a connector's engine, as Warren's own packages do. */
public final class BenchAccess {
    private BenchAccess() {
    }

    /** @return the runtime behind the public facade */
    public static ConnectorRuntime runtime(Connector connector) {
        return connector.runtime();
    }
}
