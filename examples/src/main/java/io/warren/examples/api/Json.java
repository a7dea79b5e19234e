package io.warren.examples.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** JSON responses of the demo API. */
final class Json {
    private Json() {
    }

    static void write(HttpServletResponse response, int status, Object body, ObjectMapper mapper) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        mapper.writeValue(response.getOutputStream(), body);
    }
}
