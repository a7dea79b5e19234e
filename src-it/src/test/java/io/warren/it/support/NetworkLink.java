package io.warren.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on a loopback port, for breaking the network between Warren and the broker in
 * the ways a broker command cannot:
 * <ul>
 *   <li>{@link #freeze()} / {@link #thaw()}: bytes are held (sockets open, closes still passed on),
 *       as when a network stalls;</li>
 *   <li>{@link #cut()} / {@link #restore()}: a partition, silent loss: every byte in both directions
 *       is dropped and every close hidden, so neither side sees a FIN or RST (only heartbeats can
 *       notice); connections made while cut are accepted but never reach the broker. Restoring
 *       resets the connections that lived through the cut (a healed partition finds them dead);</li>
 *   <li>{@link #resetConnections()}: the forwarded connections die, the port keeps listening;</li>
 *   <li>{@link #kill()}: everything closes and the port refuses (the broker is unreachable).</li>
 * </ul>
 * Threads are named {@code it-link-*} (daemons) and end with {@link #close()}.
 */
public final class NetworkLink implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger droppedBytes = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean frozen;
    private volatile boolean closed;

    private NetworkLink(String targetHost, int targetPort, int listenPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
        spawn("accept", this::acceptLoop);
    }

    /** Starts a link on an ephemeral loopback port forwarding to {@code host:port}. */
    public static NetworkLink start(String host, int port) throws IOException {
        return new NetworkLink(host, port, 0);
    }

    /**
     * Starts a link on a chosen loopback port: a broker that was unreachable at that address
     * (nothing listened) becomes reachable there.
     */
    public static NetworkLink startOn(int listenPort, String host, int port) throws IOException {
        return new NetworkLink(host, port, listenPort);
    }

    /** @return the loopback port clients connect to */
    public int port() {
        return server.getLocalPort();
    }

    /** @return connections accepted so far, cut ones included */
    public int accepted() {
        return counter.get();
    }

    /** @return bytes read and thrown away while cut */
    public int droppedBytes() {
        return droppedBytes.get();
    }

    /** Holds every byte from now on; sockets stay open and a close is still passed on. */
    public void freeze() {
        frozen = true;
    }

    /** Forwards the held bytes and all later ones again. */
    public void thaw() {
        frozen = false;
    }

    /** From now on no byte passes and no close is passed on, in either direction. */
    public void cut() {
        for (Pair p : pairs) {
            p.severed = true;
        }
        cut = true;
    }

    /** Resets the connections that were cut and forwards new connections again. */
    public void restore() {
        cut = false;
        for (Pair p : pairs) {
            if (p.severed) {
                p.closeBoth();
                pairs.remove(p);
            }
        }
    }

    /** Drops the forwarded connections but keeps listening (a broker-side connection reset). */
    public void resetConnections() {
        for (Pair p : pairs) {
            p.closeBoth();
        }
        pairs.clear();
    }

    /** Closes every forwarded connection and the listening socket: the broker is unreachable. */
    public void kill() {
        closed = true;
        closeQuietly(server);
        resetConnections();
    }

    @Override
    public void close() {
        kill();
        try {
            for (Thread t : threads) {
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            int n = counter.incrementAndGet();
            Pair pair = new Pair(client);
            pairs.add(pair);
            if (cut) {
                // A partition: the SYN "got through" to us, nothing gets further.
                pair.severed = true;
                spawn("void-" + n, () -> pump(pair, client, null));
                continue;
            }
            try {
                pair.upstream = new Socket(targetHost, targetPort);
            } catch (IOException e) {
                pair.closeBoth();
                pairs.remove(pair);
                continue;
            }
            spawn("up-" + n, () -> pump(pair, client, pair.upstream));
            spawn("down-" + n, () -> pump(pair, pair.upstream, client));
        }
    }

    private void pump(Pair pair, Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to == null ? null : to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                while (frozen && !closed && !from.isClosed() && !pair.severed) {
                    Thread.sleep(20);
                }
                if (pair.severed || out == null) {
                    droppedBytes.addAndGet(n);
                    continue;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed, or restore() / resetConnections() / close() reset the pair
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            // A cut link passes no close on: the other side must find out by itself.
            if (!pair.severed && to != null) {
                closeQuietly(to);
            }
        }
    }

    private void spawn(String role, Runnable body) {
        Thread t = new Thread(body, "it-link-" + role);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static final class Pair {
        final Socket client;
        volatile Socket upstream;
        volatile boolean severed;

        Pair(Socket client) {
            this.client = client;
        }

        void closeBoth() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }
}
