package io.connpool.samples.redis;

import io.connpool.tcp.TcpConnection;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to Redis, speaking RESP2: a command goes out as an array of bulk strings, one reply comes
 * back. Not thread-safe: one caller at a time, which is what an exclusive {@code Pool} guarantees.
 *
 * <p>Failures keep the pool's rule in mind: anything that leaves the byte stream in an unknown state
 * (timeouts, resets, a reply that is not RESP) is an {@link IOException}, so the pool closes the
 * connection; an error <em>reply</em> ({@code -ERR ...}) is a {@link RedisErrorReply}, and the
 * connection stays good.
 */
public final class RedisConnection implements AutoCloseable {

    private final TcpConnection tcp;
    private final InputStream in;
    private final OutputStream out;

    public RedisConnection(TcpConnection tcp) {
        this.tcp = tcp;
        this.in = new BufferedInputStream(tcp.in(), 8192);
        this.out = new BufferedOutputStream(tcp.out(), 8192);
    }

    public String ping() throws IOException {
        return (String) command("PING");
    }

    /** The value at {@code key}, or null when there is none. */
    public String get(String key) throws IOException {
        return (String) command("GET", key);
    }

    public void set(String key, String value) throws IOException {
        command("SET", key, value);
    }

    public long incr(String key) throws IOException {
        return (Long) command("INCR", key);
    }

    public long del(String key) throws IOException {
        return (Long) command("DEL", key);
    }

    /**
     * Sends one command and reads its reply: a String (simple or bulk string, null for a nil bulk), a
     * Long (integer), or a List of those (array).
     */
    public Object command(String... arguments) throws IOException {
        Resp.writeCommand(out, arguments);
        out.flush();
        return Resp.readReply(in, tcp);
    }

    /** Sends several commands in one write and reads their replies in order (pipelining). */
    public List<Object> pipeline(List<String[]> commands) throws IOException {
        for (String[] command : commands) {
            Resp.writeCommand(out, command);
        }
        out.flush();
        List<Object> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(Resp.readReply(in, tcp));
        }
        return replies;
    }

    /** Whether the peer is still there (a 1 ms look at the socket, no round trip). */
    public boolean isAlive() {
        return tcp.isAlive();
    }

    @Override
    public void close() throws IOException {
        tcp.close();
    }

    @Override
    public String toString() {
        return "RedisConnection[" + tcp + "]";
    }
}
