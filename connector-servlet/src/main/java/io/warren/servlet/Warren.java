package io.warren.servlet;

import io.warren.Connector;
import io.warren.RpcClient;
import jakarta.servlet.ServletContext;

/** How a webapp reaches the connector that {@link WarrenContextListener} made for it. */
public final class Warren {
    private Warren() {
    }

    /**
     * @param context the webapp's servlet context
     * @return this webapp's connector
     * @throws IllegalStateException when the listener is not registered, is turned off or did not start
     */
    public static Connector connector(ServletContext context) {
        Object c = context.getAttribute(WarrenContextListener.CONNECTOR_ATTRIBUTE);
        if (!(c instanceof Connector connector)) {
            Object disabled = context.getAttribute(WarrenContextListener.DISABLED_ATTRIBUTE);
            if (disabled != null) {
                throw new IllegalStateException("no Warren connector in ServletContext '" + context.getContextPath()
                        + "': turned off by " + disabled);
            }
            throw new IllegalStateException("no Warren connector in ServletContext '" + context.getContextPath()
                    + "': put connector-servlet in WEB-INF/lib (its web-fragment.xml registers io.warren.servlet.WarrenContextListener) or list the listener in web.xml, and check its start-up log");
        }
        return connector;
    }

    /**
     * @param context the webapp's servlet context
     * @return this webapp's RPC client
     * @throws IllegalStateException when the listener is not registered, is turned off or did not start
     */
    public static RpcClient rpc(ServletContext context) {
        return connector(context).rpcClient();
    }
}
