package io.connpool.samples.redis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RESP2, the Redis wire protocol, over buffered streams: commands out as arrays of bulk strings, replies
 * in as String (simple or bulk; null for nil), Long (integer) or List (array). An error reply is thrown as
 * {@link RedisErrorReply}; a stream that ends or breaks the protocol is an {@link IOException}.
 */
public final class Resp {

    private static final byte[] CRLF = {'\r', '\n'};

    private Resp() {
    }

    /** Writes one command; the caller flushes. */
    public static void writeCommand(OutputStream out, String... arguments) throws IOException {
        out.write('*');
        writeNumber(out, arguments.length);
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            out.write('$');
            writeNumber(out, bytes.length);
            out.write(bytes);
            out.write(CRLF);
        }
    }

    /** Reads one reply; {@code peer} names the other end in error messages. */
    public static Object readReply(InputStream in, Object peer) throws IOException {
        int type = in.read();
        switch (type) {
            case '+':
                return line(in, peer);
            case '-':
                throw new RedisErrorReply(line(in, peer));
            case ':':
                return Long.parseLong(line(in, peer));
            case '$':
                return bulk(in, Integer.parseInt(line(in, peer)), peer);
            case '*':
                int n = Integer.parseInt(line(in, peer));
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(readReply(in, peer));
                }
                return items;
            case -1:
                throw new EOFException("Redis closed the connection (" + peer + ")");
            default:
                throw new IOException("Not a RESP reply from " + peer + ": first byte 0x" + Integer.toHexString(type));
        }
    }

    private static void writeNumber(OutputStream out, int n) throws IOException {
        out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
    }

    private static String bulk(InputStream in, int length, Object peer) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("Redis reply cut short after " + bytes.length + " of " + length + " bytes (" + peer + ")");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in, Object peer) throws IOException {
        StringBuilder line = new StringBuilder(16);
        int b;
        while ((b = in.read()) != '\r') {
            if (b == -1) {
                throw new EOFException("Redis closed the connection mid-reply (" + peer + ")");
            }
            line.append((char) b);
        }
        if (in.read() != '\n') {
            throw new IOException("RESP line without LF from " + peer);
        }
        return line.toString();
    }
}
