package io.warren.examples.api;

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
        Map<?, ?> body = req.getContentLength() == 0 ? Map.of() : mapper.readValue(req.getInputStream(), Map.class);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("name", body.get("name"));
        args.put("flavor", body.get("flavor"));
        answer(resp, 201, () -> rpc().call(COMPUTE, "create_server", args, CALL));
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = idOf(req);
        if (id == null) {
            Json.write(resp, 405, Map.of("error", "DELETE needs /servers/{id}"), mapper);
            return;
        }
        answer(resp, 200, () -> rpc().call(COMPUTE, "delete_server", Map.of("id", id), CALL));
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
            Json.write(resp, code, Map.of("error", e.exceptionClass(), "message", e.remoteMessage()), mapper);
        } catch (MessagingTimeout e) {
            Json.write(resp, 504, Map.of("error", "MessagingTimeout", "message", e.getMessage()), mapper);
        } catch (WarrenException | IllegalStateException e) {
            Json.write(resp, 503, Map.of("error", e.getClass().getSimpleName(), "message", e.getMessage()), mapper);
        }
    }

    private static String idOf(HttpServletRequest req) {
        String path = req.getPathInfo();
        return path == null || path.length() <= 1 ? null : path.substring(1);
    }
}
