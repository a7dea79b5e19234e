package io.warren.amqp;

/** What the publisher asks of the connector before each publish. */
interface Lifecycle {
    /** @throws io.warren.ConnectorStoppedException when the connector takes no more work */
    void ensureAcceptingWork();

    /** @return whether work is still taken (no exception, unlike {@link #ensureAcceptingWork()}) */
    boolean acceptsWork();

    /** Drops inherited connections when the process id changed under the connector. */
    void checkProcess();
}
