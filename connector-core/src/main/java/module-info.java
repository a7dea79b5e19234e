/**
 * Warren's core: a RabbitMQ connector owned by one application instance, speaking oslo.messaging's
 * rabbit driver protocol.
 *
 * <p>The API is package {@code io.warren} ({@link io.warren.Connector} and what it hands out) and
 * {@code io.warren.jmx} (registering the connector's MXBean outside a servlet container). The
 * other packages are the engine: public only where one of Warren's packages calls into another,
 * exported to nobody.
 *
 * <p>Endpoint objects are called through reflection: on the module path, open their package to
 * this module ({@code opens com.example.compute to io.warren;}). On the class path, as in a WAR,
 * nothing is needed.
 */
// amqp-client, micrometer-core and micrometer-observation have no module-info yet, only a declared Automatic-Module-Name,
// so these names are stable.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.warren {
    requires com.rabbitmq.client;
    requires com.fasterxml.jackson.databind;
    // ConnectorJmx hands out ObjectNames; Connector.Builder.meterRegistry takes a MeterRegistry.
    requires transitive java.management;
    requires transitive micrometer.core;
    // Connector.Builder.observationRegistry takes an ObservationRegistry (micrometer-core brings the jar).
    requires transitive micrometer.observation;
    requires org.slf4j;

    exports io.warren;
    exports io.warren.jmx;
}
