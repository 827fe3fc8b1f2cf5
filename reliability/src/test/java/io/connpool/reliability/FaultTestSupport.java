package io.connpool.reliability;

import io.connpool.testkit.OsResources;
import io.connpool.ManagedPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fault test keeps its books in a {@link Ledger} and ends with the same checks: the ledger's
 * invariants held, every pool closed its connections, the process has no more file descriptors than
 * before the test, and no pool thread is left alive.
 */
abstract class FaultTestSupport {

    protected Ledger ledger;
    private final List<ManagedPool> pools = new ArrayList<>();
    private int fdBaseline;
    private List<String> fdsBefore;

    /** The pool's maxSize, which the ledger holds the open-connection count to. */
    protected abstract int maxSize();

    /**
     * The first sockets, timeouts and random numbers of a JVM open descriptors the JDK keeps for good
     * (/dev/urandom, ...): done once here, so that a test's count before and after sees only its own.
     */
    @BeforeAll
    static void warmUpTheJdk() throws Exception {
        new java.security.SecureRandom().nextInt();
        try (io.connpool.testkit.EchoServer server = io.connpool.testkit.EchoServer.onFreePort();
             java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(1000);
            io.connpool.testkit.EchoServer.roundTrip(socket.getInputStream(), socket.getOutputStream(), "warm-up");
        }
    }

    @BeforeEach
    void openBooks() {
        ledger = new Ledger(maxSize());
        fdBaseline = OsResources.openFileDescriptors();
        fdsBefore = OsResources.describeFileDescriptors();
    }

    protected <P extends ManagedPool> P track(P pool) {
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void closeBooksAndCheckNothingLeaked() throws InterruptedException {
        pools.forEach(ManagedPool::close);
        assertThat(ledger.violations()).as(ledger.toString()).isEmpty();
        assertThat(ledger.awaitAllClosed()).as("connections still open 5 s after close(): " + ledger).isTrue();
        assertThat(Faults.awaitFileDescriptors(fdBaseline)).as(() -> "open file descriptors after close(); before: "
                        + fdsBefore + ", after: " + OsResources.describeFileDescriptors())
                .isLessThanOrEqualTo(fdBaseline);
        assertThat(Faults.awaitNoPoolThreads()).as("pool threads alive after close()").isEmpty();
    }

    /** A measured figure, printed for the notes and the README. */
    protected static void figure(String format, Object... args) {
        System.out.println("[figure] " + String.format(format, args));
    }

    protected static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    protected static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
