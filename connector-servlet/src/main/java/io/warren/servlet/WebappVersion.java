package io.warren.servlet;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Method;

/**
 * The version a container gives one of several copies of a webapp at one context path. Tomcat's
 * parallel deployment names them {@code app##001}, {@code app##002}: the servlet API does not
 * say which one is running, but Tomcat's webapp class loader does, through
 * {@code org.apache.juli.WebappProperties.getWebappName()}, the context's base name
 * ({@code app##001}; {@code ROOT##001} for the root). Read by reflection, so Warren needs no
 * Tomcat class; any other container, or a failure, gives no version.
 */
final class WebappVersion {
    private static final String MARKER = "##";

    private WebappVersion() {
    }

    /** @return the version after {@code ##} in the container's name of this webapp, or {@code ""} */
    static String of(ServletContext context) {
        try {
            return fromBaseName(baseName(context.getClassLoader()));
        } catch (RuntimeException | LinkageError e) {
            return ""; // a container that will not show its class loader: no version
        }
    }

    /** @return the version in a Tomcat base name ({@code app##001}: {@code 001}), or {@code ""} */
    static String fromBaseName(String baseName) {
        if (baseName == null) {
            return "";
        }
        int at = baseName.indexOf(MARKER);
        return at < 0 ? "" : baseName.substring(at + MARKER.length());
    }

    private static String baseName(ClassLoader loader) {
        if (loader == null) {
            return null;
        }
        try {
            Method name = loader.getClass().getMethod("getWebappName");
            return name.getReturnType() == String.class ? (String) name.invoke(loader) : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
