package io.warren.examples.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.MessagingTimeout;
import io.warren.RemoteError;
import io.warren.RpcClient;
import io.warren.Target;
import io.warren.WarrenException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny nova-api: {@code POST /servers}, {@code GET /servers}, {@code GET /servers/{id}},
 * {@code DELETE /servers/{id}} and {@code POST /servers/{id}/reboot}, each answered by the compute
 * worker over oslo RPC. The connector comes from the ServletContext, where Warren's listener put it.
 */
public class ServersServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Target COMPUTE = Target.topic("compute");
    private static final CallOptions CALL = CallOptions.defaults().timeout(Duration.ofSeconds(10));
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String EXAMPLE = "send an object such as {\"name\": \"web1\", \"flavor\": \"m1.tiny\"}";
    private final ObjectMapper mapper = Json.mapper();

    private RpcClient rpc() {
        Connector connector = (Connector) getServletContext().getAttribute("io.warren.Connector");
        if (connector == null) {
            throw new IllegalStateException("no Warren connector in the ServletContext: is "
                    + "io.warren.servlet.WarrenContextListener registered in web.xml?");
        }
        return connector.rpcClient();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = idOf(req);
        answer(resp, 200, () -> id == null ? rpc().call(COMPUTE, "list_servers", Map.of(), CALL)
                : rpc().call(COMPUTE, "get_server", Map.of("id", id), CALL));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.endsWith("/reboot")) {
            String id = path.substring(1, path.length() - "/reboot".length());
            answer(resp, 202, () -> {
                rpc().cast(COMPUTE, "reboot_server", Map.of("id", id));
                return Map.of("id", id, "reboot", "requested");
            });
            return;
        }
        Map<?, ?> body = objectBody(req, resp);
        if (body == null) {
            return;
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("name", body.get("name"));
        args.put("flavor", body.get("flavor"));
        answer(resp, 201, () -> rpc().call(COMPUTE, "create_server", args, CALL));
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = idOf(req);
        if (id == null) {
            Json.writeError(resp, 405, "MethodNotAllowed", "DELETE needs /servers/{id}", mapper);
            return;
        }
        answer(resp, 200, () -> rpc().call(COMPUTE, "delete_server", Map.of("id", id), CALL));
    }

    /**
     * The request's JSON object, or null after answering 400 (413 when too long) with what was
     * wrong: bad input is the client's error, not a 500 with a parser's stack trace.
     */
    private Map<?, ?> objectBody(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = req.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            Json.writeError(resp, 413, "RequestTooLarge", "the body is over " + MAX_BODY_BYTES + " bytes", mapper);
            return null;
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return badRequest(resp, "the body is not JSON (" + e.getOriginalMessage() + "); " + EXAMPLE);
        }
        if (json == null || json.isMissingNode()) {
            return badRequest(resp, "the body is empty; " + EXAMPLE);
        }
        if (!json.isObject()) {
            return badRequest(resp, "the body is a JSON " + json.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", expected an object; " + EXAMPLE);
        }
        return mapper.convertValue(json, Map.class);
    }

    private Map<?, ?> badRequest(HttpServletResponse resp, String message) throws IOException {
        Json.writeError(resp, 400, "BadRequest", message, mapper);
        return null;
    }

    private interface Call {
        Object run();
    }

    /** Maps Warren's errors to HTTP: the remote's own error to 404/400, a timeout to 504, the rest to 503. */
    private void answer(HttpServletResponse resp, int status, Call call) throws IOException {
        try {
            Json.write(resp, status, call.run(), mapper);
        } catch (RemoteError e) {
            int code = e.exceptionClass().equals("ServerNotFound") ? 404 : 400;
            Json.writeError(resp, code, e.exceptionClass(), e.remoteMessage(), mapper);
        } catch (MessagingTimeout e) {
            Json.writeError(resp, 504, "MessagingTimeout", e.getMessage(), mapper);
        } catch (WarrenException | IllegalStateException e) {
            Json.writeError(resp, 503, e.getClass().getSimpleName(), e.getMessage(), mapper);
        }
    }

    private static String idOf(HttpServletRequest req) {
        String path = req.getPathInfo();
        return path == null || path.length() <= 1 ? null : path.substring(1);
    }
}
