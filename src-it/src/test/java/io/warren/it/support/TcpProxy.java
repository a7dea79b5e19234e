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
 * ways a broker command cannot: {@link #kill()} closes every socket and stops listening (the
 * broker becomes unreachable), {@link #freeze()} keeps the sockets open but stops moving bytes
 * (silent loss, as when a network drops packets), {@link #thaw()} resumes.
 *
 * <p>Its threads are named {@code it-proxy-*} and end when the proxy is closed.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean frozen;
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        spawn("accept", this::acceptLoop);
    }

    /** Starts a proxy on an ephemeral loopback port forwarding to {@code host:port}. */
    public static TcpProxy start(String host, int port) throws IOException {
        return new TcpProxy(host, port);
    }

    /** @return the loopback port clients connect to */
    public int port() {
        return server.getLocalPort();
    }

    /** @return connections accepted so far */
    public int accepted() {
        return counter.get();
    }

    /** Stops forwarding bytes; sockets stay open, so no side sees a close. */
    public void freeze() {
        frozen = true;
    }

    /** Forwards bytes again. */
    public void thaw() {
        frozen = false;
    }

    /** Closes every forwarded connection and the listening socket: the broker is unreachable. */
    public void kill() {
        closed = true;
        closeQuietly(server);
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    /** Drops the forwarded connections but keeps listening (a broker-side connection reset). */
    public void resetConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
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
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                int n = counter.incrementAndGet();
                spawn("up-" + n, () -> pump(client, upstream));
                spawn("down-" + n, () -> pump(upstream, client));
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                while (frozen && !closed && !from.isClosed()) {
                    Thread.sleep(20);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other side or kill() closed the socket
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void spawn(String role, Runnable body) {
        Thread t = new Thread(body, "it-proxy-" + role);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
