package io.connpool.testkit;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line-agnostic TCP echo server on the loopback interface, with the faults a pool must survive.
 *
 * <p>Every byte a client sends comes back unchanged, unless a fault is switched on:
 * <ul>
 *   <li>{@link #stop()} closes the listening socket and every client socket: the server is down;
 *       {@link #start()} brings it back on the same port;</li>
 *   <li>{@link #kill()} resets every client connection (RST) but keeps listening;</li>
 *   <li>{@link #mute(boolean)} keeps accepting and reading but never answers (a half-open peer);</li>
 *   <li>{@link #refuseNewConnections(boolean)} closes new connections as soon as they are accepted.</li>
 * </ul>
 * One daemon thread accepts, one daemon thread per client echoes; all end on {@link #close()}.
 */
public final class EchoServer implements AutoCloseable {

    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile int port;
    private volatile ServerSocket listener;
    private volatile Thread acceptor;
    private volatile boolean muted;
    private volatile boolean refusing;

    private final ServerSocketFactory sockets;

    private EchoServer(int port, ServerSocketFactory sockets) {
        this.port = port;
        this.sockets = sockets;
    }

    /**
     * One round trip to an echo server: sends {@code text} and a newline, reads as many bytes back.
     * A server that closes the connection first is an {@link IOException}.
     */
    public static String roundTrip(InputStream in, OutputStream out, String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
        byte[] reply = in.readNBytes(bytes.length);
        if (reply.length < bytes.length) {
            throw new IOException("connection closed by the echo server after " + reply.length + " of " + bytes.length + " bytes");
        }
        return new String(reply, StandardCharsets.UTF_8).trim();
    }

    /** Starts a server on a free loopback port. */
    public static EchoServer onFreePort() {
        return onFreePort(ServerSocketFactory.getDefault());
    }

    /** Starts a server on a free loopback port, speaking TLS when given an {@code SSLServerSocketFactory}. */
    public static EchoServer onFreePort(ServerSocketFactory sockets) {
        EchoServer server = new EchoServer(0, sockets);
        server.start();
        return server;
    }

    /** Starts (or restarts, on the same port) listening. */
    public synchronized EchoServer start() {
        if (listener != null) {
            return this;
        }
        try {
            ServerSocket socket = sockets.createServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            port = socket.getLocalPort();
            listener = socket;
            Thread thread = new Thread(() -> acceptLoop(socket), "echo-server-accept-" + port);
            thread.setDaemon(true);
            acceptor = thread;
            thread.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Echo server could not listen on port " + port, e);
        }
    }

    /** Stops listening and closes every client connection: the server is down until {@link #start()}. */
    public synchronized void stop() {
        ServerSocket socket = listener;
        listener = null;
        if (socket != null) {
            closeQuietly(socket);
            awaitAcceptorExit();
        }
        kill();
    }

    /**
     * A client's connect completes in the kernel before {@code accept} returns it here; a client the
     * acceptor was still registering when the listener closed would survive a kill that ran first.
     */
    private void awaitAcceptorExit() {
        Thread thread = acceptor;
        if (thread == null) {
            return;
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("Echo server on port " + port + ": accept thread still running 5 s after its listener closed");
        }
    }

    /**
     * Resets every client connection accepted so far; the server keeps listening. A client whose connect
     * completed but which the accept thread has not taken yet is not among them: wait for
     * {@link #openConnections()} before killing.
     */
    public void kill() {
        for (Socket client : clients) {
            try {
                client.setSoLinger(true, 0); // close with RST, as a crashed peer would
            } catch (SocketException ignored) {
                // already closed
            }
            closeQuietly(client);
        }
        clients.clear();
    }

    /** While muted, the server accepts and reads but never answers. */
    public void mute(boolean muted) {
        this.muted = muted;
    }

    /** While refusing, new connections are closed as soon as they are accepted. */
    public void refuseNewConnections(boolean refusing) {
        this.refusing = refusing;
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Client connections open right now. */
    public int openConnections() {
        return clients.size();
    }

    /** Client connections accepted since the server was created. */
    public int acceptedConnections() {
        return accepted.get();
    }

    public boolean isRunning() {
        return listener != null;
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // listener closed
            }
            accepted.incrementAndGet();
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            clients.add(client);
            Thread echo = new Thread(() -> echoLoop(client), "echo-server-client-" + client.getPort());
            echo.setDaemon(true);
            echo.start();
        }
    }

    private void echoLoop(Socket client) {
        byte[] buffer = new byte[8192];
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!muted) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away or the connection was killed: nothing to do
        } finally {
            clients.remove(client);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing on the way down; the socket is gone either way
        }
    }
}
