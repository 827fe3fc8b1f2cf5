package io.connpool.samples.redis;

import io.connpool.tcp.TcpConnection;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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

    private static final byte[] CRLF = {'\r', '\n'};

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
        write(arguments);
        out.flush();
        return read();
    }

    /** Sends several commands in one write and reads their replies in order (pipelining). */
    public List<Object> pipeline(List<String[]> commands) throws IOException {
        for (String[] command : commands) {
            write(command);
        }
        out.flush();
        List<Object> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(read());
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

    private void write(String[] arguments) throws IOException {
        out.write('*');
        writeNumber(arguments.length);
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            out.write('$');
            writeNumber(bytes.length);
            out.write(bytes);
            out.write(CRLF);
        }
    }

    private void writeNumber(int n) throws IOException {
        out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
    }

    private Object read() throws IOException {
        int type = in.read();
        switch (type) {
            case '+':
                return line();
            case '-':
                throw new RedisErrorReply(line());
            case ':':
                return Long.parseLong(line());
            case '$':
                return bulk(Integer.parseInt(line()));
            case '*':
                int n = Integer.parseInt(line());
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            case -1:
                throw new EOFException("Redis closed the connection (" + tcp + ")");
            default:
                throw new IOException("Not a RESP reply from " + tcp + ": first byte 0x" + Integer.toHexString(type));
        }
    }

    private String bulk(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("Redis reply cut short after " + bytes.length + " of " + length + " bytes (" + tcp + ")");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(16);
        int b;
        while ((b = in.read()) != '\r') {
            if (b == -1) {
                throw new EOFException("Redis closed the connection mid-reply (" + tcp + ")");
            }
            line.append((char) b);
        }
        if (in.read() != '\n') {
            throw new IOException("RESP line without LF from " + tcp);
        }
        return line.toString();
    }
}
