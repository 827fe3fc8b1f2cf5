package io.connpool.autoconfigure;

import io.connpool.testkit.EchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One echo server for a test class whose pools need a live TCP address. */
abstract class EchoServerTestSupport {

    static EchoServer server;

    @BeforeAll
    static void startServer() {
        server = EchoServer.onFreePort();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }
}
