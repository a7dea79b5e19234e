package io.warren.it.support;

import io.warren.examples.demo.DemoBroker;

/**
 * The in-JVM Qpid Broker-J the tests fall back on when there is no RabbitMQ: the demo's
 * {@link DemoBroker} (one launcher, one set of settings; its javadoc says what Broker-J does and
 * does not do), plus what a test JVM needs around it. Tests that need what Broker-J lacks call
 * {@link TestBroker#requireRabbitMq(String)}.
 *
 * <p>{@link #start()} picks an ephemeral port; {@link #start(int)} re-binds a known one, which is
 * how a test restarts the broker under a client that recovers automatically.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final DemoBroker broker;

    private EmbeddedBroker(DemoBroker broker) {
        this.broker = broker;
    }

    /** Starts a broker on an ephemeral port of 127.0.0.1. */
    public static EmbeddedBroker start() {
        return start(0);
    }

    /**
     * Starts a broker on the given port of 127.0.0.1 (0 = ephemeral).
     *
     * @throws IllegalStateException when the broker did not start or could not bind the port
     */
    public static EmbeddedBroker start(int port) {
        installUncaughtHandlerIfMissing();
        return new EmbeddedBroker(DemoBroker.start(port));
    }

    /** The bound AMQP port on 127.0.0.1. */
    public int port() {
        return broker.port();
    }

    /** {@code amqp://guest:guest@127.0.0.1:PORT} for amqp-client. */
    public String amqpUri() {
        return "amqp://guest:guest@127.0.0.1:" + port();
    }

    /** Stops the broker (closing every client connection) and deletes its work directory. */
    @Override
    public void close() {
        broker.close();
    }

    @Override
    public String toString() {
        return "EmbeddedBroker[127.0.0.1:" + port() + "]";
    }

    /**
     * Broker-J's housekeeping halts the JVM (Runtime.halt) when a task throws and no default handler
     * is set; a handler that prints keeps a test JVM alive to report the failure.
     */
    private static void installUncaughtHandlerIfMissing() {
        if (Thread.getDefaultUncaughtExceptionHandler() == null) {
            Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
                System.err.println("WARREN-IT: uncaught exception in thread " + thread.getName());
                error.printStackTrace();
            });
        }
    }
}
