package io.connpool.reliability;

import io.connpool.ConnectionCallback;
import io.connpool.ConnectionFactory;
import io.connpool.Pool;
import io.connpool.PoolException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The books of a fault run, kept from outside the pool: what the factory opened and closed, who held
 * which connection when, and how every operation ended. {@link #violations} lists what must never
 * happen, whatever the faults:
 * <ul>
 *   <li>more connections open at once than the pool's {@code maxSize};</li>
 *   <li>a connection in two callers' hands at once;</li>
 *   <li>an operation unaccounted for ({@code sent != succeeded + failed}), or one that failed with
 *       anything but a {@link PoolException} with a message.</li>
 * </ul>
 */
public final class Ledger {

    private final int maxOpen;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicInteger doubleLeases = new AtomicInteger();
    private final Map<String, LongAdder> failuresByType = new ConcurrentHashMap<>();
    private final Map<String, String> failureExamples = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Throwable> unexplained = new ConcurrentLinkedQueue<>();

    /** @param maxOpen the most connections that may be open at once (the pool's {@code maxSize}) */
    public Ledger(int maxOpen) {
        this.maxOpen = maxOpen;
    }

    /** A connection as the ledger sees it: the real one, and whether a caller holds it right now. */
    public static final class Watched<C> {
        private final C connection;
        private final AtomicBoolean leased = new AtomicBoolean();

        Watched(C connection) {
            this.connection = connection;
        }

        public C connection() {
            return connection;
        }
    }

    /** The factory, counted: every connection it opens and every one the pool closes. */
    public <C> ConnectionFactory<Watched<C>> watch(ConnectionFactory<C> factory) {
        return new ConnectionFactory<>() {
            @Override
            public Watched<C> connect() throws Exception {
                C connection = factory.connect();
                if (connection == null) {
                    return null; // the pool's own check must catch it
                }
                opened.increment();
                peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                return new Watched<>(connection);
            }

            @Override
            public boolean validate(Watched<C> watched) throws Exception {
                return factory.validate(watched.connection);
            }

            @Override
            public void close(Watched<C> watched) throws Exception {
                open.decrementAndGet();
                closed.increment();
                factory.close(watched.connection);
            }

            @Override
            public String toString() {
                return factory.toString();
            }
        };
    }

    /** One operation through the pool, booked as a success or a failure. Returns whether it succeeded. */
    public <C> boolean operate(Pool<Watched<C>> pool, ConnectionCallback<C, ?> work) {
        sent.increment();
        try {
            pool.withConnection(watched -> hold(watched, work));
            succeeded.increment();
            return true;
        } catch (PoolException e) {
            failed.increment();
            failuresByType.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
            failureExamples.putIfAbsent(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                unexplained.add(e);
            }
            return false;
        } catch (RuntimeException | Error e) {
            failed.increment();
            unexplained.add(e);
            return false;
        }
    }

    /** Runs the work while the ledger marks the connection held; a second holder is a violation. */
    public <C, T> T hold(Watched<C> watched, ConnectionCallback<C, T> work) throws Exception {
        if (!watched.leased.compareAndSet(false, true)) {
            doubleLeases.incrementAndGet();
            return work.doWithConnection(watched.connection);
        }
        try {
            return work.doWithConnection(watched.connection);
        } finally {
            watched.leased.set(false);
        }
    }

    public int open() {
        return open.get();
    }

    public int peakOpen() {
        return peakOpen.get();
    }

    public long opened() {
        return opened.sum();
    }

    public long sent() {
        return sent.sum();
    }

    public long succeeded() {
        return succeeded.sum();
    }

    public long failed() {
        return failed.sum();
    }

    /** Failures by exception type, e.g. {@code {CallbackException=12, ConnectionFailedException=40}}. */
    public Map<String, Long> failuresByType() {
        Map<String, Long> byType = new TreeMap<>();
        failuresByType.forEach((type, count) -> byType.put(type, count.sum()));
        return byType;
    }

    /** The first message seen of each failure type: what a caller was told. */
    public Map<String, String> failureExamples() {
        return new TreeMap<>(failureExamples);
    }

    /** Waits (up to 5 s) until every connection the factory opened is closed; dials in flight at close() land first. */
    public boolean awaitAllClosed() throws InterruptedException {
        for (long end = System.nanoTime() + 5_000_000_000L; open.get() != 0 && System.nanoTime() < end; ) {
            Thread.sleep(5);
        }
        return open.get() == 0;
    }

    /** What must never happen; empty when the run kept every invariant. */
    public List<String> violations() {
        List<String> violations = new ArrayList<>();
        if (peakOpen.get() > maxOpen) {
            violations.add(peakOpen.get() + " connections open at once; maxSize is " + maxOpen);
        }
        if (doubleLeases.get() > 0) {
            violations.add(doubleLeases.get() + " times a connection was in two callers' hands at once");
        }
        long s = sent.sum();
        long ok = succeeded.sum();
        long ko = failed.sum();
        if (s != ok + ko) {
            violations.add(s + " operations sent, " + ok + " succeeded + " + ko + " failed: " + (s - ok - ko) + " unaccounted");
        }
        for (Throwable e : unexplained) {
            violations.add("failure without a PoolException that says why: " + e);
        }
        return violations;
    }

    /** The figures, one line, for logs and the README. */
    @Override
    public String toString() {
        return "sent " + sent() + ", succeeded " + succeeded() + ", failed " + failed() + " " + failuresByType()
                + "; connections opened " + opened() + ", closed " + closed.sum() + ", open now " + open()
                + ", peak open " + peakOpen() + "/" + maxOpen + ", double leases " + doubleLeases.get();
    }
}
