/**
 * Warren in a servlet container: {@link io.warren.servlet.WarrenContextListener} gives a webapp
 * instance its own connector from {@code contextInitialized} to {@code contextDestroyed}, and
 * {@link io.warren.servlet.Warren} is how the webapp reaches it.
 */
module io.warren.servlet {
    requires transitive io.warren;
    requires transitive jakarta.servlet;
    requires com.fasterxml.jackson.databind;
    requires java.naming;
    requires org.slf4j;

    exports io.warren.servlet;
}
