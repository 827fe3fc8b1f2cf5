package io.connpool.autoconfigure.readme;

import io.connpool.tcp.TcpConnection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** What the README's examples call but do not show: an echo round trip, and stand-ins the core examples name. */
final class ReadmeSupport {

    private ReadmeSupport() {
    }

    /** The quick start's round trip: one line to the echo server, the same line back. */
    static String roundTrip(TcpConnection connection, String text) throws IOException {
        byte[] line = (text.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8);
        connection.out().write(line);
        connection.out().flush();
        byte[] reply = connection.in().readNBytes(line.length);
        if (reply.length < line.length) {
            throw new IOException("the echo server closed the connection");
        }
        return new String(reply, StandardCharsets.UTF_8).trim();
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }

    static String talk(TcpConnection connection) throws IOException {
        return roundTrip(connection, "ping");
    }

    static Channel openChannel(String address) {
        return new Channel(address);
    }

    interface Balancer {
        String pick();
    }

    record Channel(String address) {
        Quote quote(String symbol) {
            return new Quote(symbol);
        }
    }

    record Quote(String symbol) {
    }
}
