package io.connpool;

import io.connpool.Hostile.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.provider.Arguments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The hostile matrix: for each place a pool calls code it does not own × each way that code can
 * misbehave × each kind of pool, one case. Each case then sets the user code back to normal, checks
 * that the next caller is served (on each key of a keyed pool), and {@link PoolInvariants} checks
 * the rest: no connection lost, leased twice or closed twice, nothing held without a holder, no
 * pool thread left or dead. The cases live in {@link HostileFactoryMatrixTest},
 * {@link HostileListenerMatrixTest} and {@link HostileCallerCodeMatrixTest}; the contract they
 * assert is this table.
 *
 * <h2>The contract</h2>
 * <p><b>Returns</b>: the call that ran it completes as it would with well-behaved code.
 *
 * <p><b>Throws</b> X (a RuntimeException, a plain {@code Error}, a checked exception): the pool
 * loses no connection, closes none twice, keeps every thread, and X reaches only the caller whose
 * call ran the code; every other caller and every pool thread goes on as if nothing happened.
 * Where X goes, by extension point:
 * <dl>
 * <dt>factory {@code connect}, on a worker (for a waiting caller) or on the caller's thread
 * ({@code acquireFresh})</dt>
 * <dd>the caller gets {@link ConnectionFailedException} whose cause is X (an Error too).</dd>
 * <dt>factory {@code validate}, at borrow or in keepalive</dt>
 * <dd>"invalid": the connection is destroyed and the borrower gets another one.</dd>
 * <dt>factory {@code close}, on release of an invalidated or expired connection, on
 * {@code evictIdle()}, on idle timeout, on {@code pool.close(grace)}</dt>
 * <dd>recorded: the connection counts as destroyed once; {@code lease.invalidate()},
 * {@code lease.close()} and {@code evictIdle()} return normally; {@code pool.close(grace)} returns
 * or throws a {@link PoolException} with X among its suppressed exceptions.</dd>
 * <dt>every {@link PoolListener} method the case triggers</dt>
 * <dd>logged, never seen by the caller: it gets what it would have got without a listener, and the
 * connection is still accounted (the lease released, the new connection handed out…).</dd>
 * <dt>the filter of {@code Pool.acquire(filter)}: on the caller's thread, or while its caller is
 * queued behind others and a releaser or a newcomer's dial dispatches</dt>
 * <dd>only its own caller gets X (as itself, or as a cause); never a plain caller, never the
 * releaser's {@code close()}, never a worker; the pool keeps serving, and nobody is left counted
 * as waiting or dialing.</dd>
 * <dt>the broken-connection rule ({@code brokenWhen})</dt>
 * <dd>"broken": the connection is destroyed; the caller gets its callback's own exception.</dd>
 * <dt>{@code withConnection} callbacks, {@code sendBatch} and {@code sendBatchParallel} functions</dt>
 * <dd>the connection is released (or invalidated) and the caller gets X: a RuntimeException as is
 * ({@code sendBatch} may wrap it in a {@link CallbackException}, as its javadoc says), a checked
 * exception as the cause of a {@link CallbackException}, an Error as is, after the connection is
 * accounted; {@code sendBatchParallel} keeps X as the failure of its message (an Error may instead
 * be thrown as is).</dd>
 * <dt>the {@code Executor} given to {@code sendBatchParallel}: it rejects, throws a RuntimeException
 * or an Error, accepts tasks and never runs them, or runs them on the calling thread</dt>
 * <dd>the caller's thread does the work: the call returns a complete {@link BatchResult}.</dd>
 * </dl>
 *
 * <p><b>Hangs</b> (until the test lets go, at the end): it holds only the thread that called it,
 * and the pool bounds its own waits. A hung {@code validate} at borrow does not hold
 * {@code acquire(300 ms)} past its timeout (it returns a lease or a {@link PoolExhaustedException}
 * while validate still hangs); a hung {@code close} holds neither {@code pool.close(200 ms)} nor the
 * caller's {@code lease.invalidate()} or {@code lease.close()}; a hung {@code connect} gives the
 * waiting caller a {@link PoolExhaustedException} at its timeout, naming {@code connecting=}, and
 * does not hold {@code pool.close(200 ms)}; a hung filter or listener holds only its own caller.
 * In every case another thread's acquire and release on the same pool complete meanwhile (except
 * where the hang is the dial a waiting caller counts on), and the connection the hung code was
 * working on is accounted once it returns.
 *
 * <p><b>Interrupts</b> (then returns): on the caller's thread the interrupt status is kept (neither
 * cleared nor swallowed) and the call completes as with {@code returns}; on a pool thread it does not
 * poison later work (the next dial, validation and close still work). Every other thread ends the
 * case not interrupted.
 *
 * <p>Sizes: an exclusive pool and a shared one of 2 connections (3 where a case needs a spare), the
 * shared one with 2 calls per connection; a keyed pool with 2 keys, the same size per key. Every
 * wait is bounded (10 s); a case whose pool behaves takes well under 2 s.
 */
abstract class HostileMatrix {

    /** The bound on every wait of a case: generous, so that no case flakes on a loaded machine. */
    static final Duration BOUND = Duration.ofSeconds(10);
    /** Every pool's acquireTimeout, and so the wait of the next caller. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** The kinds of pool every case runs against. */
    enum Kind {
        EXCLUSIVE("exclusive"), SHARED("shared"), KEYED("keyed");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    @RegisterExtension
    final PoolInvariants invariants = new PoolInvariants();

    Hostile hostile;
    HostileFactory factory;
    HostileListener listener;
    Subject subject;
    private final List<Async<?>> started = new CopyOnWriteArrayList<>();
    private final List<Runnable> atTheEnd = new CopyOnWriteArrayList<>();

    static Stream<Arguments> everyKindAndBehaviour() {
        return kindsAndBehaviours(Kind.values());
    }

    static Stream<Arguments> exclusiveAndKeyed() {
        return kindsAndBehaviours(Kind.EXCLUSIVE, Kind.KEYED);
    }

    static Stream<Arguments> kindsAndBehaviours(Kind... kinds) {
        return Arrays.stream(kinds).flatMap(kind -> Arrays.stream(Behaviour.values()).map(b -> Arguments.of(kind, b)));
    }

    /** Builds the case's pool: {@code size} connections (per key), over the hostile factory and listener. */
    Subject open(Kind kind, Behaviour behaviour, int size, Consumer<PoolSettings<?>> settings) {
        hostile = new Hostile(behaviour);
        factory = new HostileFactory(hostile);
        listener = new HostileListener(hostile);
        Consumer<PoolSettings<?>> common = s -> s.acquireTimeout(TIMEOUT)
                .connectBackoff(Duration.ofMillis(5), Duration.ofMillis(5)).listener(listener);
        switch (kind) {
            case EXCLUSIVE: {
                Pool.Builder<FakeConnection> builder = Pool.builder((ConnectionFactory<FakeConnection>) factory)
                        .name("exclusive").maxSize(size);
                common.andThen(settings).accept(builder);
                subject = new Subject(kind, builder.build(), null, null);
                break;
            }
            case SHARED: {
                factory.ledger.holdersAllowed = 2;
                SharedPool.Builder<FakeConnection> builder = SharedPool.builder((ConnectionFactory<FakeConnection>) factory)
                        .name("shared").maxSize(size).maxCallsPerConnection(2);
                common.andThen(settings).accept(builder);
                subject = new Subject(kind, null, builder.build(), null);
                break;
            }
            default: {
                KeyedPool.Builder<String, FakeConnection> builder = KeyedPool.builder(
                        (KeyedConnectionFactory<String, FakeConnection>) factory).name("keyed").maxPerKey(size).maxTotal(2 * size);
                common.andThen(settings).accept(builder);
                subject = new Subject(kind, null, null, builder.build());
            }
        }
        invariants.track(subject.pool, factory);
        return subject;
    }

    Subject open(Kind kind, Behaviour behaviour, int size) {
        return open(kind, behaviour, size, s -> { });
    }

    /** Lets every hang go, runs what the case left for the end, and waits for every thread it started. */
    @AfterEach
    void letGoAndJoin() throws InterruptedException {
        if (hostile != null) {
            hostile.letGo();
        }
        atTheEnd.forEach(Runnable::run);
        List<String> stuck = new ArrayList<>();
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (Async<?> async : started) {
            async.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (async.thread.isAlive()) {
                stuck.add(async.describe());
            }
        }
        if (!stuck.isEmpty()) {
            fail("threads of the case still blocked after the hostile code was let go: " + String.join("; ", stuck));
        }
    }

    /** Runs {@code task} after the hostile code is let go, before the case's threads are joined. */
    void atTheEnd(Runnable task) {
        atTheEnd.add(task);
    }

    // ------------------------------------------------------------------------------------------------
    // Callers
    // ------------------------------------------------------------------------------------------------

    /** What a call did: its value or what it threw, and whether its thread ended it interrupted. */
    static final class Outcome<T> {
        final T value;
        final Throwable thrown;
        final boolean interrupted;
        final Thread thread;

        private Outcome(T value, Throwable thrown, boolean interrupted, Thread thread) {
            this.value = value;
            this.thrown = thrown;
            this.interrupted = interrupted;
            this.thread = thread;
        }

        /** Runs {@code body} on this thread; reads (and clears) its interrupt status after it. */
        static <T> Outcome<T> of(Callable<T> body) {
            T value = null;
            Throwable thrown = null;
            try {
                value = body.call();
            } catch (Throwable e) {
                thrown = e;
            }
            return new Outcome<>(value, thrown, Thread.interrupted(), Thread.currentThread());
        }

        @Override
        public String toString() {
            return thrown != null ? "threw " + thrown : "returned " + value;
        }
    }

    /** A call on a thread of its own. */
    final class Async<T> {
        final String name;
        final Thread thread;
        private final CompletableFuture<Outcome<T>> result = new CompletableFuture<>();

        private Async(String name, Callable<T> body) {
            this.name = name;
            this.thread = new Thread(() -> result.complete(Outcome.of(body)), "case-" + name);
            thread.setDaemon(true);
        }

        /** Its outcome, once it returned; fails if it has not within the bound. */
        Outcome<T> outcome() {
            try {
                return result.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(name + " has not returned within " + BOUND.toSeconds() + " s: " + describe());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + name, e);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }

        boolean isDone() {
            return result.isDone();
        }

        /** Waits until it sleeps (in a pool's queue, say), bounded. */
        void awaitParked() {
            await().atMost(BOUND).pollInterval(Duration.ofMillis(1)).until(() -> isDone()
                    || thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING);
        }

        String describe() {
            return thread.getName() + " " + thread.getState() + Arrays.stream(thread.getStackTrace()).limit(10)
                    .map(f -> "\n        at " + f).collect(Collectors.joining());
        }
    }

    <T> Async<T> async(String name, Callable<T> body) {
        Async<T> async = new Async<>(name, body);
        started.add(async);
        async.thread.start();
        return async;
    }

    static <T> Outcome<T> call(Callable<T> body) {
        return Outcome.of(body);
    }

    /** A callback that marks its use of the connection, so the invariants catch a second holder. */
    static ConnectionCallback<FakeConnection, Integer> use() {
        return c -> {
            c.enter();
            try {
                return c.id;
            } finally {
                c.exit();
            }
        };
    }

    /** Leaves {@code perKey} idle connections on each key (distinct ones, in a shared pool too). */
    void prewarm(int perKey) {
        for (String key : subject.keys()) {
            List<Lease<FakeConnection>> leases = new ArrayList<>();
            Set<FakeConnection> distinct = new HashSet<>();
            while (distinct.size() < perKey) {
                Lease<FakeConnection> lease = subject.acquire(key, TIMEOUT);
                leases.add(lease);
                distinct.add(lease.connection());
            }
            leases.forEach(Lease::close);
        }
    }

    /** Takes {@code n} leases on {@code key}. */
    List<Lease<FakeConnection>> hold(String key, int n) {
        List<Lease<FakeConnection>> leases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leases.add(subject.acquire(key, TIMEOUT));
        }
        return leases;
    }

    // ------------------------------------------------------------------------------------------------
    // What every case checks
    // ------------------------------------------------------------------------------------------------

    /**
     * The user code behaves again, and a new call succeeds on every key. A circuit opened by a dial
     * that failed on purpose stays open for its (5 ms) back-off: such a failure is tried again.
     */
    void nextCallerIsServed() {
        hostile.disarmAll();
        factory.refuse = null;
        for (String key : subject.keys()) {
            servedDespiteBackOff("the next caller on key " + key, key);
        }
    }

    /** Another thread's acquire and release on the same pool complete while the hostile code hangs. */
    void anotherCallerIsServedMeanwhile(String key) {
        Async<Integer> other = async("bystander", () -> {
            servedDespiteBackOff("a bystander", key);
            return 0;
        });
        Outcome<Integer> outcome = other.outcome();
        assertThat(outcome.thrown).as("another caller of the same pool, while the hostile code hangs").isNull();
        assertThat(outcome.interrupted).as("the bystander ends interrupted").isFalse();
    }

    private void servedDespiteBackOff(String who, String key) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        AtomicInteger attempts = new AtomicInteger();
        while (true) {
            attempts.incrementAndGet();
            Outcome<Integer> outcome = call(() -> subject.withConnection(key, use()));
            if (outcome.thrown == null) {
                assertThat(outcome.interrupted).as("%s ends interrupted", who).isFalse();
                return;
            }
            if (!(outcome.thrown instanceof ConnectionFailedException) || System.nanoTime() - deadline >= 0) {
                throw new AssertionError(who + " is not served (attempt " + attempts + "): " + outcome.thrown
                        + "; " + subject.pool.stats(), outcome.thrown);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the back-off is 5 ms
        }
    }

    /** {@code pool.close(200 ms)} returns while {@code hook} still hangs; then the hang is let go. */
    void closeReturnsWhileHung(Hostile.Hook hook) {
        Async<Void> closing = async("closer", () -> {
            subject.pool.close(Duration.ofMillis(200));
            return null;
        });
        Outcome<Void> closed = closing.outcome();
        assertThat(hook.isHanging()).as("%s still hangs when close(200 ms) returned", hook).isTrue();
        if (closed.thrown != null) {
            assertThat(closed.thrown).as("close(200 ms) while %s hangs", hook).isInstanceOf(PoolException.class);
        }
        hostile.letGo();
        assertThat(call(() -> subject.acquire("a", TIMEOUT)).thrown).as("a caller of the closed pool")
                .isInstanceOf(PoolClosedException.class);
    }

    /**
     * The interrupt rule: a caller ends interrupted exactly when the hostile code interrupted its
     * own thread; the pool never clears that, and never interrupts anyone else.
     */
    void assertInterruptRule(Outcome<?> outcome, Hostile.Hook hook) {
        boolean expected = hostile.behaviour == Behaviour.INTERRUPTS && hook.ranOn(outcome.thread);
        assertThat(outcome.interrupted).as("%s ends interrupted (the %s ran on %s)", outcome.thread.getName(), hook,
                hook.threads().stream().map(Thread::getName).collect(Collectors.toList())).isEqualTo(expected);
    }

    /** {@code actual} is {@code expected}, or has it in its cause chain. */
    static void assertIsOrIsCausedBy(Throwable actual, Throwable expected, String what) {
        assertThat(expected).as("what the hostile code threw").isNotNull();
        for (Throwable t = actual; t != null; t = t.getCause()) {
            if (t == expected) {
                return;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        throw new AssertionError(what + ": expected " + expected + " itself or as a cause, but got " + actual, actual);
    }

    static boolean isPoolThread(Thread thread) {
        return thread.getName().startsWith("connpool-");
    }

    // ------------------------------------------------------------------------------------------------
    // One face for the three kinds
    // ------------------------------------------------------------------------------------------------

    /** The case's pool, whatever its kind; the key is ignored but by a keyed pool. */
    static final class Subject {
        final Kind kind;
        final ManagedPool pool;
        private final Pool<FakeConnection> exclusive;
        private final SharedPool<FakeConnection> shared;
        private final KeyedPool<String, FakeConnection> keyed;

        private Subject(Kind kind, Pool<FakeConnection> exclusive, SharedPool<FakeConnection> shared,
                        KeyedPool<String, FakeConnection> keyed) {
            this.kind = kind;
            this.exclusive = exclusive;
            this.shared = shared;
            this.keyed = keyed;
            this.pool = exclusive != null ? exclusive : shared != null ? shared : keyed;
        }

        /** The keys a case checks: two on a keyed pool ("a" takes the hostile call, "b" looks on). */
        List<String> keys() {
            return kind == Kind.KEYED ? List.of("a", "b") : List.of("a");
        }

        Pool<FakeConnection> exclusive() {
            assertThat(exclusive).as("an exclusive pool").isNotNull();
            return exclusive;
        }

        Lease<FakeConnection> acquire(String key, Duration timeout) {
            switch (kind) {
                case EXCLUSIVE:
                    return exclusive.acquire(timeout);
                case SHARED:
                    return shared.acquire(timeout);
                default:
                    return keyed.acquire(key, timeout);
            }
        }

        Lease<FakeConnection> acquireFresh(String key) {
            switch (kind) {
                case EXCLUSIVE:
                    return exclusive.acquireFresh();
                case KEYED:
                    return keyed.acquireFresh(key);
                default:
                    throw new UnsupportedOperationException("a SharedPool has no acquireFresh");
            }
        }

        <T> T withConnection(String key, ConnectionCallback<FakeConnection, T> callback) {
            switch (kind) {
                case EXCLUSIVE:
                    return exclusive.withConnection(callback);
                case SHARED:
                    return shared.withConnection(callback);
                default:
                    return keyed.withConnection(key, callback);
            }
        }

        <M, R> List<R> sendBatch(String key, List<M> messages, BatchFunction<FakeConnection, M, R> function) {
            switch (kind) {
                case EXCLUSIVE:
                    return exclusive.sendBatch(messages, function);
                case SHARED:
                    return shared.sendBatch(messages, function);
                default:
                    return keyed.sendBatch(key, messages, function);
            }
        }

        <M, R> BatchResult<R> sendBatchParallel(String key, List<M> messages, BatchFunction<FakeConnection, M, R> function) {
            switch (kind) {
                case EXCLUSIVE:
                    return exclusive.sendBatchParallel(messages, function);
                case SHARED:
                    return shared.sendBatchParallel(messages, function);
                default:
                    return keyed.sendBatchParallel(key, messages, function);
            }
        }

        <M, R> BatchResult<R> sendBatchParallel(String key, List<M> messages, BatchFunction<FakeConnection, M, R> function,
                                                Executor executor) {
            switch (kind) {
                case EXCLUSIVE:
                    return exclusive.sendBatchParallel(messages, function, executor);
                case SHARED:
                    return shared.sendBatchParallel(messages, function, executor);
                default:
                    return keyed.sendBatchParallel(key, messages, function, executor);
            }
        }

        PoolStats stats(String key) {
            return kind == Kind.KEYED ? keyed.stats(key) : pool.stats();
        }
    }

    /**
     * Runs a call whose own code misbehaves. When it hangs, the call runs on a thread of its own,
     * another caller is served meanwhile, then the hang ends and the call completes.
     */
    <T> Outcome<T> callOrHang(String name, Hostile.Hook hook, java.util.concurrent.Callable<T> body) {
        if (hostile.behaviour != Behaviour.HANGS) {
            Outcome<T> outcome = call(body);
            assertInterruptRule(outcome, hook);
            return outcome;
        }
        Async<T> caller = async(name, body);
        hook.awaitStruck();
        anotherCallerIsServedMeanwhile("a");
        hostile.letGo();
        Outcome<T> outcome = caller.outcome();
        assertThat(outcome.interrupted).as("%s ends interrupted", name).isFalse();
        return outcome;
    }
}
