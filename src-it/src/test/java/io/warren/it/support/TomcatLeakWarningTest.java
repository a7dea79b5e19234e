package io.warren.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which of Tomcat's leak warnings are its own threads in its own code (a reload), and which are the webapp's. */
class TomcatLeakWarningTest {
    private static final String HEAD = "07-Dec-2026 16:46:57.529 WARNING [http-nio-127.0.0.1-35751-exec-59] "
            + "org.apache.catalina.loader.WebappClassLoaderBase.clearReferencesThreads ";

    @Test
    void tomcatsBackgroundProcessorAndRequestThreadsInUnloadAreTomcats() {
        assertThat(Tomcat.isTomcatsOwnThreadInTomcatsCode(HEAD + "The web application [servers] appears to have started a thread"
                + " named [Catalina-utility-2] but has failed to stop it.\n"
                + " org.apache.catalina.core.StandardContext.backgroundProcess(StandardContext.java:4931)")).isTrue();
        assertThat(Tomcat.isTomcatsOwnThreadInTomcatsCode(HEAD + "The thread [http-nio-127.0.0.1-35751-exec-76] of web application"
                + " [servers] is still processing a request that has yet to finish.\n"
                + " java.base@17.0.15/java.lang.Object.wait(Native Method)\n"
                + " org.apache.catalina.core.StandardWrapper.unload(StandardWrapper.java:931)")).isTrue();
    }

    @Test
    void aWarrenThreadOrAWarrenFrameIsTheWebapps() {
        assertThat(Tomcat.isTomcatsOwnThreadInTomcatsCode(HEAD + "The web application [servers] appears to have started a thread"
                + " named [warren-servers-api-timer-1] but has failed to stop it.\n"
                + " java.base/jdk.internal.misc.Unsafe.park(Native Method)")).isFalse();
        assertThat(Tomcat.isTomcatsOwnThreadInTomcatsCode(HEAD + "The thread [http-nio-127.0.0.1-35751-exec-76] of web application"
                + " [servers] is still processing a request that has yet to finish.\n"
                + " io.warren.rpc.OsloRpcClient.await(OsloRpcClient.java:200)\n"
                + " org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:141)")).isFalse();
        assertThat(Tomcat.isTomcatsOwnThreadInTomcatsCode(HEAD + "The web application [servers] registered the JDBC driver [x]"
                + " but failed to unregister it")).isFalse();
    }
}
