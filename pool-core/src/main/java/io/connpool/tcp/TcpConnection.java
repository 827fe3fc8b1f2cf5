package io.connpool.tcp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A TCP (optionally TLS) connection with buffered streams that live as long as the socket, so that a
 * pooled connection keeps its buffers across checkouts. Remember to {@code out().flush()}.
 */
public final class TcpConnection implements AutoCloseable {

    private final Socket socket;
    private final BufferedInputStream in;
    private final BufferedOutputStream out;

    public TcpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    public Socket socket() {
        return socket;
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    /**
     * True when the socket is open and the peer has not closed its side. Waits up to 1 ms for a byte:
     * end of stream or an error means the connection is dead; a byte that arrived unasked-for is left
     * in the buffer and the connection counts as alive.
     */
    public boolean isAlive() {
        if (socket.isClosed() || !socket.isConnected() || socket.isInputShutdown() || socket.isOutputShutdown()) {
            return false;
        }
        int previousTimeout;
        try {
            previousTimeout = socket.getSoTimeout();
        } catch (IOException e) {
            return false;
        }
        try {
            if (in.available() > 0) {
                return true;
            }
            socket.setSoTimeout(1);
            in.mark(1);
            int next = in.read();
            if (next < 0) {
                return false;
            }
            in.reset();
            return true;
        } catch (SocketTimeoutException e) {
            return true; // nothing to read, and the peer did not hang up
        } catch (IOException e) {
            return false;
        } finally {
            try {
                socket.setSoTimeout(previousTimeout);
            } catch (IOException ignored) {
                // the socket died during the check: the next use will say so
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "TcpConnection[" + socket.getLocalPort() + " -> " + socket.getRemoteSocketAddress() + "]";
    }
}
