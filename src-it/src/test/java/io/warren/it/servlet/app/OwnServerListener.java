package io.warren.it.servlet.app;

import io.warren.Connector;
import io.warren.Target;
import io.warren.servlet.Warren;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * The application's own listener, listed after Warren's: when the context-param
 * {@code it.own.topic} is set, it serves an {@link EchoEndpoint} on that topic from its own code,
 * as the demo's EventsListener subscribes, also while a lazy start is still connecting.
 */
public class OwnServerListener implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent event) {
        String topic = event.getServletContext().getInitParameter("it.own.topic");
        if (topic == null) {
            return;
        }
        Connector connector = Warren.connector(event.getServletContext());
        connector.rpcServer(Target.topic(topic), new EchoEndpoint(event.getServletContext()));
    }
}
