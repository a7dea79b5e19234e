package io.warren.examples.boot;

import io.warren.Connector;
import io.warren.ConnectorStats;
import io.warren.Health;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The connector's health as the {@code warren} component of {@code /actuator/health}, beside
 * Spring AMQP's {@code rabbit}: UP and DEGRADED are UP (DEGRADED with its reasons, as Warren's
 * HealthServlet answers 200 for both), DOWN is DOWN. Connector stats carry no credentials.
 */
@Component
class WarrenHealthIndicator extends AbstractHealthIndicator {
    private final Connector connector;

    WarrenHealthIndicator(Connector connector) {
        super("Warren health check failed");
        this.connector = connector;
    }

    @Override
    protected void doHealthCheck(org.springframework.boot.actuate.health.Health.Builder builder) {
        Health health = connector.health();
        ConnectorStats stats = connector.stats();
        if (health.status() == Health.Status.DOWN) {
            builder.down();
        } else {
            builder.up();
        }
        builder.withDetail("warrenStatus", health.status().name())
                .withDetail("reasons", health.reasons())
                .withDetail("name", stats.name())
                .withDetail("state", stats.state().name())
                .withDetail("broker", stats.connectedAddress())
                .withDetail("heartbeatSeconds", stats.negotiatedHeartbeatSeconds())
                .withDetail("reconnects", stats.reconnectCount())
                .withDetail("rpcCallsInFlight", stats.rpcCallsInFlight());
    }
}
