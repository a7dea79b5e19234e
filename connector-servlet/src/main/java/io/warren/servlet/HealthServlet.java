package io.warren.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.Connector;
import io.warren.ConnectorStats;
import io.warren.Health;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connector's health as JSON: 200 for UP and DEGRADED, 503 for DOWN. Holds no credentials
 * and no stack traces: the connector's stats and health are secret-free by construction.
 */
class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    // Buffers owned by the mapper, as in the core's JacksonCodec: Jackson's thread-local default
    // would pin this webapp's class loader to the container's request threads after undeploy.
    private final transient ObjectMapper mapper = new ObjectMapper(
            JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build());

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Connector connector = (Connector) getServletContext().getAttribute(WarrenContextListener.CONNECTOR_ATTRIBUTE);
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        if (connector == null) {
            body.put("status", "DOWN");
            body.put("reasons", java.util.List.of("Warren did not start in this webapp"));
            status = 503;
        } else {
            Health health = connector.health();
            ConnectorStats stats = connector.stats();
            body.put("status", health.status().name());
            body.put("reasons", health.reasons());
            body.put("name", stats.name());
            body.put("state", stats.state().name());
            body.put("broker", stats.connectedAddress());
            body.put("heartbeatSeconds", stats.negotiatedHeartbeatSeconds());
            body.put("uptimeSeconds", stats.uptime().toSeconds());
            body.put("reconnects", stats.reconnectCount());
            body.put("blocked", stats.blocked());
            body.put("blockedReason", stats.blockedReason());
            body.put("lastError", stats.lastError());
            body.put("openChannels", stats.openChannels());
            body.put("poolWaiters", stats.poolWaiters());
            body.put("rpcCallsInFlight", stats.rpcCallsInFlight());
            body.put("published", stats.published());
            body.put("confirmed", stats.confirmed());
            body.put("nacked", stats.nacked());
            body.put("returned", stats.returned());
            body.put("publishFailures", stats.publishFailures());
            status = health.status() == Health.Status.DOWN ? 503 : 200;
        }
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        mapper.writeValue(resp.getOutputStream(), body);
    }
}
