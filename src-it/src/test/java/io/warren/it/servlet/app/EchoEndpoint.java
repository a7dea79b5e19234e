package io.warren.it.servlet.app;

import io.warren.RequestContext;
import jakarta.servlet.ServletContext;

/** Declared in web.xml ({@code warren.rpc.servers}); answers with the text and the webapp that served it. */
public class EchoEndpoint {
    private final String contextPath;

    public EchoEndpoint(ServletContext context) {
        this.contextPath = context.getContextPath();
    }

    public String echo(RequestContext ctx, String text) {
        return text + " from " + contextPath;
    }
}
