package io.warren.amqp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services a connector started for the application (reply channel, RPC servers,
 * notification listeners), and their part of the stop order: newest first, each step for all of
 * them before the next, so no service is closed while another still hands it work.
 */
final class OwnedServices {
    private static final Logger LOG = LoggerFactory.getLogger(OwnedServices.class);

    private final String owner;
    private final List<OwnedService> services = new CopyOnWriteArrayList<>();

    OwnedServices(String owner) {
        this.owner = owner;
    }

    void add(OwnedService service) {
        services.add(service);
    }

    void remove(OwnedService service) {
        services.remove(service);
    }

    /**
     * The first stop step: every service stops taking messages.
     *
     * @return the services as they were now, for the later steps
     */
    Stopping stopTaking() {
        List<OwnedService> newestFirst = new ArrayList<>(services);
        Collections.reverse(newestFirst);
        for (OwnedService s : newestFirst) {
            try {
                s.stopTaking();
            } catch (RuntimeException e) {
                LOG.warn("{} - {} did not stop taking work: {}", owner, s.describe(), e.toString());
            }
        }
        return new Stopping(newestFirst);
    }

    /** The later stop steps, on the services that were told to stop taking messages. */
    final class Stopping {
        private final List<OwnedService> newestFirst;

        private Stopping(List<OwnedService> newestFirst) {
            this.newestFirst = newestFirst;
        }

        /** @return the services whose work was still running at the deadline */
        List<String> awaitIdle(long deadlineNanos) {
            List<String> late = new ArrayList<>();
            for (OwnedService s : newestFirst) {
                if (!s.awaitIdle(deadlineNanos)) {
                    late.add(s.describe());
                }
            }
            return late;
        }

        /** Closes each service and forgets them all. */
        void close() {
            for (OwnedService s : newestFirst) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    LOG.warn("{} - closing {} failed: {}", owner, s.describe(), e.toString());
                }
            }
            services.clear();
        }
    }
}
