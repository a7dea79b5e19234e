package io.warren.examples.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/** {@code GET /events}: the compute notifications this webapp received, newest first. */
public class EventsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final ObjectMapper mapper = Json.mapper();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        EventsListener.Events events = (EventsListener.Events) getServletContext().getAttribute(EventsListener.ATTRIBUTE);
        Json.write(resp, 200, events == null ? List.of() : events.snapshot(), mapper);
    }
}
