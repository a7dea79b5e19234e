package io.warren.it.servlet.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /block}: holds the request thread until the test opens the gate (a JDK
 * {@link CountDownLatch} the test put in the context attribute {@code it.gate}), at most 60 s.
 */
public class BlockServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        CountDownLatch gate = (CountDownLatch) getServletContext().getAttribute("it.gate");
        boolean opened;
        try {
            opened = gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opened = false;
        }
        resp.setContentType("text/plain");
        resp.getWriter().print(opened ? "released" : "timed out");
    }
}
