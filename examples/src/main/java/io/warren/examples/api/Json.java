package io.warren.examples.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** JSON responses of the demo API. */
final class Json {
    private Json() {
    }

    /**
     * A mapper whose buffers are its own: with Jackson's default thread-local buffers, the
     * container's request threads would keep this webapp's class loader after an undeploy.
     */
    static ObjectMapper mapper() {
        return new ObjectMapper(io.warren.wire.JacksonCodec.ownedBufferFactory());
    }

    static void write(HttpServletResponse response, int status, Object body, ObjectMapper mapper) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        mapper.writeValue(response.getOutputStream(), body);
    }

    /** Writes {@code {"error": ..., "message": ...}}, in that order (the docs show it so). */
    static void writeError(HttpServletResponse response, int status, String error, String message, ObjectMapper mapper)
            throws IOException {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        write(response, status, body, mapper);
    }
}
