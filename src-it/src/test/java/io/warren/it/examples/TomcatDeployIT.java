package io.warren.it.examples;

import io.warren.it.support.TestBroker;
import io.warren.it.support.Tomcat;
import org.junit.jupiter.api.Test;

/**
 * The demo WAR, unchanged, in Debian's Tomcat 10.1: deployed into a private CATALINA_BASE on a
 * loopback port, driven over HTTP, then undeployed and deployed again 20 times, and undeployed
 * for good; nothing of it left (TomcatRedeploys: connections, threads, Tomcat's leak warnings).
 */
class TomcatDeployIT {
    private final TestBroker broker = TestBroker.shared();

    @Test
    void theWarDeploysIntoTomcatAndRedeploysTwentyTimesWithoutALeakWarning() throws Exception {
        TomcatRedeploys.Counts counts = TomcatRedeploys.run(broker, Tomcat.Distribution.debianTomcat10(),
                TomcatRedeploys.demoWar(), null);
        System.out.println("WARREN-IT: " + counts);
    }
}
