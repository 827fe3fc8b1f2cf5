package io.connpool.reliability;

import io.connpool.testkit.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Fault tests against the in-process echo server: a fresh one per test, on a free port. */
abstract class EchoServerFaultTestSupport extends FaultTestSupport {

    protected EchoServer server;

    @BeforeEach
    void startServer() {
        server = EchoServer.onFreePort();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
