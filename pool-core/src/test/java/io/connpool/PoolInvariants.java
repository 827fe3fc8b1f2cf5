package io.connpool;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * What must hold after any test of any pool, checked after each test for every pool and every test
 * factory it was told about:
 * <ol>
 *   <li>no connection had more holders at once than it allows (one, or {@code maxCallsPerConnection}
 *   for a shared pool), as its {@link ConnectionLedger} saw;</li>
 *   <li>nothing is held without a holder: once the test is over, no open pool lends a connection or
 *   has a caller waiting (unless the test said {@link #holdsLeasesOnPurpose()}, or failed);</li>
 *   <li>the counts add up, once no dial is in flight: {@code created - destroyed = total} for each
 *   pool, and, for each factory, the connections it has open = the sum of {@code created -
 *   destroyed} over the pools that use it;</li>
 *   <li>after it closes every pool (with a grace of 1 s): no connection is open, and none was closed
 *   twice;</li>
 *   <li>no pool thread is left: no live thread named {@code connpool-*} (the shared background
 *   threads stop when the last pool of the JVM closes);</li>
 *   <li>no pool thread died: an uncaught-exception recorder is the JVM's default handler during the
 *   test (the one before it is restored, and still called; Awaitility's catching of uncaught
 *   exceptions is off meanwhile, or it would take them from the recorder).</li>
 * </ol>
 * Register it with {@code @RegisterExtension}, then {@link #track} each pool (with the factory's
 * ledger when the test has one) and {@link #watch} factories no pool of the test is tracked with.
 * Every check that waits shares one bound (10 s by default): a pool that behaves settles in
 * milliseconds, and a test that breaks several invariants fails within the bound, not once per check.
 * All violations are reported together, and the pools are closed whatever was found, so that one
 * broken test does not leave threads behind for the next.
 *
 * <p>{@link #verify()} runs the same checks by hand (and ends the tracking), for code that is not a
 * test method of its own, such as a test of the extension itself.
 */
public final class PoolInvariants implements BeforeEachCallback, AfterEachCallback {

    private static final Duration DEFAULT_BOUND = Duration.ofSeconds(10);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
    private static final String POOL_THREAD_PREFIX = "connpool-";

    private final Duration bound;
    /** Each pool and the ledger of its factory (null when the test has none), in tracking order. */
    private final Map<ManagedPool, ConnectionLedger> pools = new LinkedHashMap<>();
    private final Set<ConnectionLedger> ledgers = new LinkedHashSet<>();
    private final Queue<String> deaths = new ConcurrentLinkedQueue<>();
    private volatile boolean leasesHeldOnPurpose;
    private Thread.UncaughtExceptionHandler previous;
    private Thread.UncaughtExceptionHandler recorder;

    public PoolInvariants() {
        this(DEFAULT_BOUND);
    }

    /** With another bound on the checks that wait: for tests of the extension, whose violations never settle. */
    public PoolInvariants(Duration bound) {
        this.bound = bound;
    }

    /** Checks {@code pool} after the test; its factory is one the test has no ledger of. */
    public synchronized <P extends ManagedPool> P track(P pool) {
        pools.putIfAbsent(pool, null);
        return pool;
    }

    /** Checks {@code pool} after the test, and its counts against the ledger of the factory it uses. */
    public synchronized <P extends ManagedPool> P track(P pool, ConnectionLedger ledger) {
        pools.put(pool, ledger);
        ledgers.add(ledger);
        return pool;
    }

    /** Checks a factory's ledger after the test, whether or not a tracked pool uses it. */
    public synchronized <L extends ConnectionLedger> L watch(L ledger) {
        ledgers.add(ledger);
        return ledger;
    }

    /** The test leaves leases out (or callers waiting) on purpose: the pools are not checked for them. */
    public void holdsLeasesOnPurpose() {
        leasesHeldOnPurpose = true;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        verify(context.getExecutionException().isPresent());
    }

    /** Starts recording deaths of pool threads; {@link #verify()} stops it. */
    public synchronized void install() {
        if (recorder != null) {
            return;
        }
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.UncaughtExceptionHandler chained = previous;
        recorder = (thread, error) -> {
            if (thread.getName().startsWith(POOL_THREAD_PREFIX)) {
                deaths.add(thread.getName() + " died of " + error + firstFrames(error.getStackTrace(), 6));
            }
            if (chained != null) {
                chained.uncaughtException(thread, error);
            } else {
                // what the JVM prints when no handler is set
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace(System.err);
            }
        };
        Thread.setDefaultUncaughtExceptionHandler(recorder);
        // Awaitility would otherwise take the handler over during each await of the test, and throw a
        // pool thread's death into that await instead of letting it reach the recorder.
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    /** Runs every check, closes every pool, and throws one AssertionError listing every violation. */
    public void verify() {
        verify(false);
    }

    private void verify(boolean testFailed) {
        Map<ManagedPool, ConnectionLedger> tracked;
        List<ConnectionLedger> watched;
        synchronized (this) {
            tracked = new LinkedHashMap<>(pools);
            watched = new ArrayList<>(ledgers);
        }
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> violations = new ArrayList<>();
        try {
            if (!testFailed && !leasesHeldOnPurpose) {
                checkNothingHeldWithoutAHolder(tracked, deadline, violations);
            }
            checkCountsAddUp(tracked, watched, deadline, violations);
            closeAll(tracked, violations);
            checkNothingOpenAfterClose(tracked, watched, deadline, violations);
            checkHolders(watched, violations);
            checkNoPoolThreadLeft(deadline, violations);
            checkNoPoolThreadDied(violations);
        } finally {
            reset();
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("Pool invariants violated after the test:\n - " + String.join("\n - ", violations));
        }
    }

    private synchronized void reset() {
        if (recorder != null && Thread.getDefaultUncaughtExceptionHandler() == recorder) {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        if (recorder != null) {
            Awaitility.catchUncaughtExceptionsByDefault(); // Awaitility's own default
        }
        recorder = null;
        previous = null;
        pools.clear();
        ledgers.clear();
        deaths.clear();
        leasesHeldOnPurpose = false;
    }

    private void checkNothingHeldWithoutAHolder(Map<ManagedPool, ConnectionLedger> tracked, long deadline,
                                                List<String> violations) {
        List<ManagedPool> open = tracked.keySet().stream().filter(p -> !p.isClosed()).collect(Collectors.toList());
        boolean atRest = eventually(deadline, () -> open.stream().allMatch(p -> {
            PoolStats stats = p.stats();
            return stats.inUse() == 0 && stats.pending() == 0;
        }));
        if (atRest) {
            return;
        }
        for (ManagedPool pool : open) {
            PoolStats stats = pool.stats();
            if (stats.inUse() != 0 || stats.pending() != 0) {
                violations.add("pool '" + pool.name() + "' still lends " + stats.inUse() + " connection(s) and has "
                        + stats.pending() + " caller(s) waiting once the test is over: held without a holder "
                        + "(a test that keeps leases open on purpose says invariants.holdsLeasesOnPurpose()); "
                        + figures(stats));
            }
        }
    }

    private void checkCountsAddUp(Map<ManagedPool, ConnectionLedger> tracked, List<ConnectionLedger> watched,
                                  long deadline, List<String> violations) {
        if (eventually(deadline, () -> countViolations(tracked, watched).isEmpty())) {
            return;
        }
        violations.addAll(countViolations(tracked, watched));
    }

    /** One snapshot of every count; empty when they add up. */
    private static List<String> countViolations(Map<ManagedPool, ConnectionLedger> tracked, List<ConnectionLedger> watched) {
        List<String> found = new ArrayList<>();
        Map<ConnectionLedger, Long> accounted = new LinkedHashMap<>();
        Map<ConnectionLedger, List<String>> parts = new LinkedHashMap<>();
        for (Map.Entry<ManagedPool, ConnectionLedger> entry : tracked.entrySet()) {
            ManagedPool pool = entry.getKey();
            PoolStats stats = pool.stats();
            long live = stats.created() - stats.destroyed();
            if (stats.creating() != 0) {
                found.add("pool '" + pool.name() + "' is still dialing " + stats.creating() + " connection(s); "
                        + figures(stats));
            } else if (live != stats.total()) {
                found.add("pool '" + pool.name() + "': created - destroyed = " + stats.created() + " - "
                        + stats.destroyed() + " = " + live + ", but it shows total=" + stats.total() + "; " + figures(stats));
            }
            ConnectionLedger ledger = entry.getValue();
            if (ledger != null) {
                accounted.merge(ledger, live, Long::sum);
                parts.computeIfAbsent(ledger, l -> new ArrayList<>()).add("'" + pool.name() + "' " + live);
            }
        }
        for (ConnectionLedger ledger : watched) {
            long expected = accounted.getOrDefault(ledger, 0L);
            int open = ledger.open();
            if (open != expected) {
                found.add(ledger + " has " + open + " connection(s) open, but the pools that use it account for "
                        + expected + " (created - destroyed: " + parts.getOrDefault(ledger, List.of("no tracked pool")) + ")");
            }
        }
        return found;
    }

    private void closeAll(Map<ManagedPool, ConnectionLedger> tracked, List<String> violations) {
        for (ManagedPool pool : tracked.keySet()) {
            if (pool.isClosed()) {
                continue;
            }
            // On a thread of its own: a close that never returns is a violation, not a hung build.
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread closer = new Thread(() -> {
                try {
                    pool.close(CLOSE_GRACE);
                } catch (PoolException e) {
                    // the pool reports connections whose close failed: the factory's doing, checked below
                } catch (Throwable e) {
                    thrown.set(e);
                }
            }, "invariants-close-" + pool.name());
            closer.start();
            try {
                closer.join(bound.toMillis() + CLOSE_GRACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                violations.add("interrupted while closing pool '" + pool.name() + "'");
                return;
            }
            if (closer.isAlive()) {
                violations.add("pool '" + pool.name() + "': close(" + CLOSE_GRACE.toMillis() + " ms) has not returned after "
                        + bound.toSeconds() + " s more" + firstFrames(closer.getStackTrace(), 12));
            } else if (thrown.get() != null) {
                violations.add("pool '" + pool.name() + "': close(" + CLOSE_GRACE.toMillis() + " ms) threw " + thrown.get()
                        + firstFrames(thrown.get().getStackTrace(), 6));
            }
        }
    }

    private void checkNothingOpenAfterClose(Map<ManagedPool, ConnectionLedger> tracked, List<ConnectionLedger> watched,
                                            long deadline, List<String> violations) {
        boolean closed = eventually(deadline, () -> watched.stream().allMatch(l -> l.open() == 0)
                && tracked.keySet().stream().allMatch(p -> p.stats().total() == 0));
        if (closed) {
            return;
        }
        for (ConnectionLedger ledger : watched) {
            if (ledger.open() != 0) {
                violations.add(ledger + " still has " + ledger.open() + " connection(s) open after every pool was closed");
            }
        }
        for (ManagedPool pool : tracked.keySet()) {
            PoolStats stats = pool.stats();
            if (stats.total() != 0) {
                violations.add("pool '" + pool.name() + "' still shows " + stats.total() + " connection(s) after it was closed; "
                        + figures(stats));
            }
        }
    }

    private static void checkHolders(List<ConnectionLedger> watched, List<String> violations) {
        for (ConnectionLedger ledger : watched) {
            if (ledger.overHeld() != 0) {
                violations.add(ledger + ": " + ledger.overHeld() + " time(s) a connection had more holders at once than it allows"
                        + " (leased to two holders, or over maxCallsPerConnection)");
            }
            if (ledger.closedTwice() != 0) {
                violations.add(ledger + ": " + ledger.closedTwice() + " connection(s) closed twice");
            }
        }
    }

    private void checkNoPoolThreadLeft(long deadline, List<String> violations) {
        if (eventually(deadline, () -> poolThreads().isEmpty())) {
            return;
        }
        List<Thread> left = poolThreads();
        if (left.isEmpty()) {
            return;
        }
        violations.add(left.size() + " pool thread(s) still alive after every pool of the test was closed ("
                + openPoolsOfTheJvm() + "): " + left.stream()
                .map(t -> t.getName() + " " + t.getState() + firstFrames(t.getStackTrace(), 8))
                .collect(Collectors.joining("; ")));
    }

    private void checkNoPoolThreadDied(List<String> violations) {
        for (String death : deaths) {
            violations.add("pool thread " + death);
        }
    }

    private static List<Thread> poolThreads() {
        List<Thread> found = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(POOL_THREAD_PREFIX) && thread.isAlive()) {
                found.add(thread);
            }
        }
        return found;
    }

    /**
     * How many pools of the JVM hold the background threads, read from the engine's bookkeeping: only to
     * tell "a pool outside this test is still open" from "threads outlived their pools".
     */
    private static String openPoolsOfTheJvm() {
        try {
            java.lang.reflect.Field users = Class.forName("io.connpool.internal.Background").getDeclaredField("users");
            users.setAccessible(true);
            return "pools of the JVM holding the background threads: " + users.getInt(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "pools of the JVM still open: unknown (" + e + ")";
        }
    }

    private static boolean eventually(long deadline, BooleanSupplier condition) {
        long left = Math.max(TimeUnit.MILLISECONDS.toNanos(50), deadline - System.nanoTime());
        try {
            await().atMost(Duration.ofNanos(left)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .pollInSameThread().dontCatchUncaughtExceptions().until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private static String figures(PoolStats stats) {
        return "total=" + stats.total() + ", idle=" + stats.idle() + ", in-use=" + stats.inUse() + ", waiting="
                + stats.pending() + ", creating=" + stats.creating() + ", created=" + stats.created()
                + ", destroyed=" + stats.destroyed();
    }

    private static String firstFrames(StackTraceElement[] frames, int n) {
        if (frames.length == 0) {
            return "";
        }
        return Arrays.stream(frames).limit(n).map(f -> "\n        at " + f).collect(Collectors.joining());
    }
}
