package io.connpool;

import io.connpool.Hostile.Behaviour;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile matrix of the code a caller hands the pool: {@code acquire(filter)}'s filter, the
 * broken-connection rule, {@code withConnection} callbacks, batch functions, and the executor of
 * {@code sendBatchParallel}. The contract is {@link HostileMatrix}'s table.
 */
class HostileCallerCodeMatrixTest extends HostileMatrix {

    private static final List<Integer> MESSAGES = List.of(1, 2);

    // ------------------------------------------------------------------------------------------------
    // acquire(filter): exclusive pools only
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "exclusive · filter@caller · {0}")
    @EnumSource(Behaviour.class)
    void filterOnItsCallersThread(Behaviour behaviour) {
        open(Kind.EXCLUSIVE, behaviour, 2);
        prewarm(1);
        Hostile.Hook filter = hostile.hook("filter").always();
        Predicate<ConnectionInfo> matching = info -> {
            filter.strike();
            return true;
        };

        if (behaviour == Behaviour.HANGS) {
            Async<Lease<FakeConnection>> filtered = async("filtered", () -> subject.exclusive().acquire(matching, TIMEOUT));
            filter.awaitStruck();
            anotherCallerIsServedMeanwhile("a");
            hostile.letGo();
            Outcome<Lease<FakeConnection>> late = filtered.outcome();
            assertThat(late.thrown).as("acquire(filter), once its filter returned").isNull();
            late.value.close();
            nextCallerAndAFilteredOneAreServed(matching);
            return;
        }
        Outcome<Lease<FakeConnection>> filtered = call(() -> subject.exclusive().acquire(matching, TIMEOUT));

        if (behaviour.throwsSomething()) {
            assertIsOrIsCausedBy(filtered.thrown, filter.thrown(), "acquire(filter) whose filter throws");
        } else {
            assertThat(filtered.thrown).as("acquire(filter)").isNull();
            filtered.value.close();
        }
        assertInterruptRule(filtered, filter);
        nextCallerAndAFilteredOneAreServed(matching);
    }

    @ParameterizedTest(name = "exclusive · filter@queued, a releaser dispatches · {0}")
    @EnumSource(Behaviour.class)
    void filterOfAQueuedCallerWhenAReleaseDispatches(Behaviour behaviour) {
        // hand-off at once: a release hands its connection to the queue (dispatch), on the releaser's thread
        open(Kind.EXCLUSIVE, behaviour, 3, s -> s.handOffAfter(Duration.ZERO));
        Pool<FakeConnection> pool = subject.exclusive();
        Lease<FakeConnection> wanted = pool.acquire().tag("wanted", "yes");
        Lease<FakeConnection> second = pool.acquire();
        Lease<FakeConnection> third = pool.acquire();
        Hostile.Hook filter = hostile.hook("filter");
        Predicate<ConnectionInfo> onlyWanted = info -> {
            filter.strike();
            return "yes".equals(info.tag("wanted"));
        };
        Async<Integer> ahead = queue("plain-ahead", () -> pool.withConnection(use()), 1);
        Async<Lease<FakeConnection>> filtered = queue("filtered", () -> pool.acquire(onlyWanted, TIMEOUT), 2);
        Async<Integer> behind = queue("plain-behind", () -> pool.withConnection(use()), 3);
        filter.always();

        // the first return goes to the caller ahead; the second meets the filtered caller first in line
        Async<Void> releaser = async("releaser", () -> {
            second.close();
            third.close();
            return null;
        });

        Outcome<Void> released = releaser.outcome();
        assertThat(released.thrown).as("the releaser's close()").isNull();
        assertThat(released.interrupted).as("the releaser ends interrupted").isFalse();
        assertServedPlainly(ahead.outcome(), "the plain caller ahead");
        assertServedPlainly(behind.outcome(), "the plain caller behind");
        theFilteredCallerGetsWhatItWants(wanted, filtered, filter);
        nextCallerAndAFilteredOneAreServed(onlyWanted);
    }

    @ParameterizedTest(name = "exclusive · filter@queued, a newcomer dispatches · {0}")
    @EnumSource(Behaviour.class)
    void filterOfAQueuedCallerWhenANewcomerDispatches(Behaviour behaviour) {
        // hand-off at once: the queue is served by dispatch, run by the newcomer as it queues and by
        // the worker that dialed for it as the new connection joins the pool
        open(Kind.EXCLUSIVE, behaviour, 2, s -> s.handOffAfter(Duration.ZERO));
        Pool<FakeConnection> pool = subject.exclusive();
        Lease<FakeConnection> wanted = pool.acquire().tag("wanted", "yes");
        Hostile.Hook filter = hostile.hook("filter");
        Predicate<ConnectionInfo> onlyWanted = info -> {
            filter.strike();
            return "yes".equals(info.tag("wanted"));
        };
        Async<Lease<FakeConnection>> filtered = queue("filtered", () -> pool.acquire(onlyWanted, TIMEOUT), 1);
        filter.always();

        Async<Integer> newcomer = async("newcomer", () -> pool.withConnection(use())); // needs a dial

        assertServedPlainly(newcomer.outcome(), "the newcomer");
        theFilteredCallerGetsWhatItWants(wanted, filtered, filter);
        nextCallerAndAFilteredOneAreServed(onlyWanted);
    }

    /** Starts a caller and waits until it sleeps in the queue, {@code pending} callers waiting with it. */
    private <T> Async<T> queue(String name, java.util.concurrent.Callable<T> body, int pending) {
        Async<T> caller = async(name, body);
        await().atMost(BOUND).until(() -> subject.pool.stats().pending() == pending);
        caller.awaitParked();
        return caller;
    }

    private void assertServedPlainly(Outcome<Integer> outcome, String who) {
        assertThat(outcome.thrown).as("%s (another caller's filter must never reach it)", who).isNull();
        assertThat(outcome.interrupted).as("%s ends interrupted", who).isFalse();
    }

    /**
     * The filter behaves again and the connection it wants comes back: the filtered caller gets it,
     * unless its filter threw (wherever the pool ran it): then it got that exception. A caller its
     * own filter interrupted may give up waiting instead.
     */
    private void theFilteredCallerGetsWhatItWants(Lease<FakeConnection> wanted, Async<Lease<FakeConnection>> caller,
                                                  Hostile.Hook filter) {
        hostile.letGo();
        filter.disarm();
        wanted.close();
        Outcome<Lease<FakeConnection>> filtered = caller.outcome();
        if (filtered.value != null) {
            filtered.value.close();
        }
        if (hostile.behaviour.throwsSomething() && filter.struck()) {
            assertIsOrIsCausedBy(filtered.thrown, filter.thrown(), "the caller whose filter threw");
        } else if (filtered.thrown != null) {
            assertThat(filtered.interrupted).as("the filtered caller gave up with %s, not interrupted by its own filter",
                    filtered.thrown).isTrue();
            assertThat(filtered.thrown).isInstanceOf(PoolException.class);
        }
        assertInterruptRule(filtered, filter);
    }

    private void nextCallerAndAFilteredOneAreServed(Predicate<ConnectionInfo> filter) {
        nextCallerIsServed();
        try (Lease<FakeConnection> lease = subject.exclusive().acquire(filter, TIMEOUT)) {
            assertThat(lease.connection()).isNotNull();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // brokenWhen, callbacks, batches
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} · brokenWhen · {1}")
    @MethodSource("everyKindAndBehaviour")
    void theBrokenConnectionRule(Kind kind, Behaviour behaviour) {
        Hostile.Hook[] rule = new Hostile.Hook[1];
        open(kind, behaviour, 2, s -> s.brokenWhen(error -> {
            rule[0].strike();
            return false;
        }));
        rule[0] = hostile.hook("brokenWhen");
        prewarm(1);
        rule[0].once();
        RuntimeException callbackFailure = new IllegalStateException("the callback failed (not the rule)");
        FakeConnection[] used = new FakeConnection[1];
        ConnectionCallback<FakeConnection, Integer> failing = c -> {
            used[0] = c;
            throw callbackFailure;
        };

        Outcome<Integer> caller = callOrHang("caller", rule[0], () -> subject.withConnection("a", failing));

        assertThat(caller.thrown).as("the caller gets its callback's exception, with brokenWhen %s", behaviour)
                .isSameAs(callbackFailure);
        if (behaviour.throwsSomething()) {
            await("a rule that throws means broken: the connection is closed").atMost(BOUND).until(() -> used[0].closed);
        } else {
            assertThat(used[0].closed).as("the rule said not broken: the connection is kept").isFalse();
        }
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · withConnection callback · {1}")
    @MethodSource("everyKindAndBehaviour")
    void aCallback(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 2);
        Hostile.Hook callback = hostile.hook("callback").once();
        ConnectionCallback<FakeConnection, Integer> hostileCallback = c -> {
            c.enter();
            try {
                callback.strike();
                return c.id;
            } finally {
                c.exit();
            }
        };

        Outcome<Integer> caller = callOrHang("caller", callback, () -> subject.withConnection("a", hostileCallback));

        switch (behaviour) {
            case THROWS_RUNTIME:
            case THROWS_ERROR:
                assertThat(caller.thrown).as("withConnection, its callback throwing").isSameAs(callback.thrown());
                break;
            case THROWS_CHECKED:
                assertThat(caller.thrown).as("withConnection, its callback throwing").isInstanceOf(CallbackException.class);
                assertThat(caller.thrown.getCause()).as("its cause").isSameAs(callback.thrown());
                break;
            default:
                assertThat(caller.thrown).as("withConnection").isNull();
        }
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · sendBatch function · {1}")
    @MethodSource("everyKindAndBehaviour")
    void aBatchFunction(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 2);
        Hostile.Hook function = hostile.hook("batch function").once();

        Outcome<List<Integer>> caller = callOrHang("caller", function, () -> subject.sendBatch("a", MESSAGES, tenTimes(function)));

        switch (behaviour) {
            case THROWS_RUNTIME:
                assertIsOrIsCausedBy(caller.thrown, function.thrown(), "sendBatch, its function throwing");
                break;
            case THROWS_ERROR:
                assertThat(caller.thrown).as("sendBatch, its function throwing an Error").isSameAs(function.thrown());
                break;
            case THROWS_CHECKED:
                assertThat(caller.thrown).as("sendBatch, its function throwing").isInstanceOf(CallbackException.class);
                assertThat(caller.thrown.getCause()).as("its cause").isSameAs(function.thrown());
                break;
            default:
                assertThat(caller.thrown).as("sendBatch").isNull();
                assertThat(caller.value).containsExactly(10, 20);
        }
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · sendBatchParallel function · {1}")
    @MethodSource("everyKindAndBehaviour")
    void aParallelBatchFunction(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 3);
        prewarm(2); // no message waits for a dial (an interrupted caller would give up waiting)
        Hostile.Hook function = hostile.hook("batch function").once();

        Outcome<BatchResult<Integer>> caller = callOrHang("caller", function,
                () -> subject.sendBatchParallel("a", MESSAGES, tenTimes(function)));

        if (behaviour == Behaviour.THROWS_ERROR && caller.thrown != null) {
            assertThat(caller.thrown).as("sendBatchParallel, a function throwing an Error").isSameAs(function.thrown());
        } else if (behaviour.throwsSomething()) {
            assertThat(caller.thrown).as("sendBatchParallel").isNull();
            assertThat(caller.value.successful()).as("the other message").hasSize(1);
            assertThat(caller.value.failed()).singleElement().satisfies(failure ->
                    assertIsOrIsCausedBy(failure.error(), function.thrown(), "the failure of the message whose function threw"));
        } else {
            assertThat(caller.thrown).as("sendBatchParallel").isNull();
            assertThat(caller.value.successful()).containsExactly(10, 20);
            assertThat(caller.value.failed()).isEmpty();
        }
        nextCallerIsServed();
    }

    /** A batch function that marks its use of the connection and strikes the hook. */
    private static BatchFunction<FakeConnection, Integer, Integer> tenTimes(Hostile.Hook hook) {
        return (c, message) -> {
            c.enter();
            try {
                hook.strike();
                return message * 10;
            } finally {
                c.exit();
            }
        };
    }

    // ------------------------------------------------------------------------------------------------
    // The executor of sendBatchParallel
    // ------------------------------------------------------------------------------------------------

    /** What the caller's executor does with the helper tasks of sendBatchParallel. */
    enum ExecutorBehaviour {
        RUNS_ELSEWHERE("runs tasks on a thread of its own"),
        RUNS_ON_CALLER("runs tasks on the calling thread"),
        REJECTS("rejects (RejectedExecutionException)"),
        THROWS_RUNTIME("throws another RuntimeException"),
        THROWS_ERROR("throws an Error"),
        NEVER_RUNS("accepts tasks and never runs them");

        private final String label;

        ExecutorBehaviour(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> everyKindAndExecutor() {
        return Arrays.stream(Kind.values()).flatMap(kind -> Arrays.stream(ExecutorBehaviour.values())
                .map(executor -> Arguments.of(kind, executor)));
    }

    @ParameterizedTest(name = "{0} · sendBatchParallel executor · {1}")
    @MethodSource("everyKindAndExecutor")
    void theExecutorOfAParallelBatch(Kind kind, ExecutorBehaviour behaviour) {
        open(kind, Behaviour.RETURNS, 3);
        Hostile.Hook function = hostile.hook("batch function");
        Queue<Runnable> accepted = new ConcurrentLinkedQueue<>();
        // an executor that never ran its tasks may run them at last: they find nothing left to do
        atTheEnd(() -> accepted.forEach(Runnable::run));
        Executor executor = task -> {
            switch (behaviour) {
                case RUNS_ELSEWHERE:
                    async("executor-thread", () -> {
                        task.run();
                        return null;
                    });
                    return;
                case RUNS_ON_CALLER:
                    task.run();
                    return;
                case REJECTS:
                    throw new RejectedExecutionException("hostile executor: full");
                case THROWS_RUNTIME:
                    throw new IllegalStateException("hostile executor: shut down badly");
                case THROWS_ERROR:
                    throw new Error("hostile executor: broken");
                default:
                    accepted.add(task);
            }
        };

        Async<BatchResult<Integer>> batch = async("caller",
                () -> subject.sendBatchParallel("a", List.of(1, 2, 3), tenTimes(function), executor));
        Outcome<BatchResult<Integer>> outcome = batch.outcome();

        assertThat(outcome.thrown).as("sendBatchParallel, its executor %s", behaviour).isNull();
        assertThat(outcome.value.successful()).as("every message done").containsExactly(10, 20, 30);
        assertThat(outcome.value.failed()).isEmpty();
        assertThat(outcome.interrupted).as("the caller ends interrupted").isFalse();
        nextCallerIsServed();
    }
}
