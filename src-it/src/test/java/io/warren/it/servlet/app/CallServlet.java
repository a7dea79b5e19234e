package io.warren.it.servlet.app;

import io.warren.CallOptions;
import io.warren.Target;
import io.warren.servlet.Warren;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /call?text=..}: one RPC call to topic {@code it.topic} (context-param) within 10 s;
 * {@code GET /cast}: one cast. Errors come back as 500 with the exception's message.
 */
public class CallServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Target target = Target.topic(getServletContext().getInitParameter("it.topic"));
        resp.setContentType("text/plain");
        try {
            if (req.getServletPath().equals("/cast")) {
                Warren.rpc(getServletContext()).cast(target, "echo", Map.of("text", "cast"));
                resp.getWriter().print("cast");
            } else {
                Object reply = Warren.rpc(getServletContext()).call(target, "echo",
                        Map.of("text", String.valueOf(req.getParameter("text"))),
                        CallOptions.defaults().timeout(Duration.ofSeconds(10)));
                resp.getWriter().print(reply);
            }
        } catch (RuntimeException e) {
            resp.setStatus(500);
            resp.getWriter().print(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
