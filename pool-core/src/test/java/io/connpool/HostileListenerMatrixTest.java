package io.connpool;

import io.connpool.Hostile.Behaviour;
import io.connpool.HostileListener.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile matrix of {@link PoolListener}: each method, on the thread the pool calls it on. A
 * listener's failure is logged and never reaches a caller; the contract is {@link HostileMatrix}'s
 * table. Pools have a spare connection (3), for the bystander served while a listener hangs.
 */
class HostileListenerMatrixTest extends HostileMatrix {

    private static final int SIZE = 3;

    private final ConnectException refusal = new ConnectException("Connection refused (a plain failure of the case)");

    @ParameterizedTest(name = "{0} · listener.onConnectionCreated · {1}")
    @MethodSource("everyKindAndBehaviour")
    void onConnectionCreated(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, SIZE);
        Hostile.Hook hook = listener.at(Event.CREATED).once();

        if (behaviour == Behaviour.HANGS) {
            Async<Integer> caller = async("caller", () -> subject.withConnection("a", use()));
            hook.awaitStruck();
            anotherCallerIsServedMeanwhile("a");
            Outcome<Integer> waited = caller.outcome(); // served by another dial, or timed out: its dial hangs
            if (waited.thrown != null) {
                assertThat(waited.thrown).as("the caller whose connection's listener hangs").isInstanceOf(PoolExhaustedException.class);
            }
            hostile.letGo();
            nextCallerIsServed();
            return;
        }
        Outcome<Integer> caller = call(() -> subject.withConnection("a", use()));

        assertThat(caller.thrown).as("the caller, with onConnectionCreated %s", behaviour).isNull();
        assertInterruptRule(caller, hook);
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · listener.onConnectionFailed · {1}")
    @MethodSource("everyKindAndBehaviour")
    void onConnectionFailed(Kind kind, Behaviour behaviour) {
        aListenerOfAFailedDial(kind, behaviour, Event.FAILED, "onConnectionFailed");
    }

    @ParameterizedTest(name = "{0} · listener.onConnectionDestroyed · {1}")
    @MethodSource("everyKindAndBehaviour")
    void onConnectionDestroyed(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, SIZE);
        Lease<FakeConnection> lease = subject.acquire("a", TIMEOUT);
        Hostile.Hook hook = listener.at(Event.DESTROYED).once();

        Outcome<Void> invalidated = callOrHang("invalidator", hook, () -> {
            lease.invalidate();
            return null;
        });

        assertThat(invalidated.thrown).as("invalidate(), with onConnectionDestroyed %s", behaviour).isNull();
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · listener.onAcquired · {1}")
    @MethodSource("everyKindAndBehaviour")
    void onAcquired(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, SIZE);
        prewarm(1);
        Hostile.Hook hook = listener.at(Event.ACQUIRED).once();

        Outcome<Lease<FakeConnection>> acquired = callOrHang("acquirer", hook, () -> subject.acquire("a", TIMEOUT));

        assertThat(acquired.thrown).as("acquire(), with onAcquired %s", behaviour).isNull();
        acquired.value.close();
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · listener.onReleased · {1}")
    @MethodSource("everyKindAndBehaviour")
    void onReleased(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, SIZE);
        Lease<FakeConnection> lease = subject.acquire("a", TIMEOUT);
        Hostile.Hook hook = listener.at(Event.RELEASED).once();

        Outcome<Void> released = callOrHang("releaser", hook, () -> {
            lease.close();
            return null;
        });

        assertThat(released.thrown).as("lease.close(), with onReleased %s", behaviour).isNull();
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · listener.onAcquireTimeout · {1}")
    @MethodSource("everyKindAndBehaviour")
    void onAcquireTimeout(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, SIZE);
        List<Lease<FakeConnection>> all = hold("a", kind == Kind.SHARED ? 2 * SIZE : SIZE);
        Hostile.Hook hook = listener.at(Event.ACQUIRE_TIMEOUT).once();

        Outcome<Lease<FakeConnection>> timedOut;
        if (behaviour == Behaviour.HANGS) {
            Async<Lease<FakeConnection>> caller = async("caller", () -> subject.acquire("a", Duration.ofMillis(50)));
            hook.awaitStruck();
            all.remove(0).close();
            anotherCallerIsServedMeanwhile("a");
            hostile.letGo();
            timedOut = caller.outcome();
        } else {
            timedOut = call(() -> subject.acquire("a", Duration.ofMillis(50)));
            assertInterruptRule(timedOut, hook);
        }

        assertThat(timedOut.thrown).as("acquire(50 ms) of a full pool, with onAcquireTimeout %s", behaviour)
                .isInstanceOf(PoolExhaustedException.class);
        all.forEach(Lease::close);
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · listener.onOperation · {1}")
    @MethodSource("everyKindAndBehaviour")
    void onOperation(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, SIZE);
        Hostile.Hook hook = listener.at(Event.OPERATION).once();

        Outcome<Integer> operation = callOrHang("caller", hook, () -> subject.withConnection("a", use()));

        assertThat(operation.thrown).as("withConnection, with onOperation %s", behaviour).isNull();
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · listener.onLeakSuspected · {1}")
    @MethodSource("exclusiveAndKeyed") // leak detection follows exclusive leases only
    void onLeakSuspected(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, SIZE, s -> s.leakDetectionThreshold(Duration.ofMillis(100)));
        Hostile.Hook hook = listener.at(Event.LEAK_SUSPECTED).once();
        Lease<FakeConnection> held = subject.acquire("a", TIMEOUT);

        hook.awaitStruck();

        assertThat(hook.threads()).as("threads that reported the leak").allMatch(HostileMatrix::isPoolThread);
        if (behaviour == Behaviour.HANGS) {
            anotherCallerIsServedMeanwhile("a");
            hostile.letGo();
        }
        held.close();
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · listener.onCircuitStateChanged · {1}")
    @MethodSource("everyKindAndBehaviour")
    void onCircuitStateChanged(Kind kind, Behaviour behaviour) {
        aListenerOfAFailedDial(kind, behaviour, Event.CIRCUIT_CHANGED, "onCircuitStateChanged");
    }

    /** A dial fails, and the listener method that hears of it misbehaves: the caller still hears of the dial. */
    private void aListenerOfAFailedDial(Kind kind, Behaviour behaviour, Event event, String method) {
        open(kind, behaviour, SIZE);
        factory.refuse = refusal;
        Hostile.Hook hook = listener.at(event).once();

        if (behaviour == Behaviour.HANGS) {
            Async<Integer> caller = async("caller", () -> subject.withConnection("a", use()));
            hook.awaitStruck();
            factory.refuse = null;
            anotherCallerIsServedMeanwhile("a");
            assertFailedToConnectOrTimedOut(caller.outcome());
            hostile.letGo();
            nextCallerIsServed();
            return;
        }
        Outcome<Integer> caller = call(() -> subject.withConnection("a", use()));

        assertThat(caller.thrown).as("the caller, with %s %s", method, behaviour).isInstanceOf(ConnectionFailedException.class);
        assertThat(caller.thrown.getCause()).as("its cause: the dial's failure, not the listener's").isSameAs(refusal);
        assertInterruptRule(caller, hook);
        nextCallerIsServed();
    }

    /** Told of the failed dial, timed out, or served by the bystander's dial: anything but the listener's doing. */
    private void assertFailedToConnectOrTimedOut(Outcome<Integer> caller) {
        if (caller.thrown == null) {
            return;
        }
        assertThat(caller.thrown).as("the caller whose dial failed while the listener hangs")
                .isInstanceOfAny(ConnectionFailedException.class, PoolExhaustedException.class);
        if (caller.thrown instanceof ConnectionFailedException) {
            assertThat(caller.thrown.getCause()).as("its cause").isSameAs(refusal);
        }
    }
}
