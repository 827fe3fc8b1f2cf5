package io.connpool;

import io.connpool.Hostile.Behaviour;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile matrix of the factory: {@code connect}, {@code validate} and {@code close}, wherever
 * the pool calls them. The contract is {@link HostileMatrix}'s table.
 */
class HostileFactoryMatrixTest extends HostileMatrix {

    @ParameterizedTest(name = "{0} · connect@worker · {1}")
    @MethodSource("everyKindAndBehaviour")
    void connectOnAWorkerForAWaitingCaller(Kind kind, Behaviour behaviour) {
        boolean hangs = behaviour == Behaviour.HANGS;
        open(kind, behaviour, 2, s -> s.acquireTimeout(hangs ? Duration.ofMillis(300) : TIMEOUT));
        factory.connect.once();

        Outcome<Integer> caller = call(() -> subject.withConnection("a", use()));

        assertThat(factory.connect.threads()).as("threads that dialed for the waiting caller").allMatch(HostileMatrix::isPoolThread);
        if (hangs) {
            assertThat(caller.thrown).as("the waiting caller, while connect hangs").isInstanceOf(PoolExhaustedException.class)
                    .hasMessageContaining("connecting=");
            closeReturnsWhileHung(factory.connect);
            return;
        }
        if (behaviour.throwsSomething()) {
            assertThat(caller.thrown).as("the waiting caller").isInstanceOf(ConnectionFailedException.class);
            assertThat(caller.thrown.getCause()).as("its cause").isSameAs(factory.connect.thrown());
        } else {
            assertThat(caller.thrown).as("the waiting caller").isNull();
        }
        assertInterruptRule(caller, factory.connect);
        nextCallerIsServed();
        subject.pool.evictIdle();
        nextCallerIsServed(); // a later dial works too
    }

    @ParameterizedTest(name = "{0} · connect@caller (acquireFresh) · {1}")
    @MethodSource("exclusiveAndKeyed")
    void connectOnTheCallersThread(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 2);
        prewarm(1);
        factory.connect.once();

        if (behaviour == Behaviour.HANGS) {
            Async<Lease<FakeConnection>> fresh = async("fresh", () -> subject.acquireFresh("a"));
            factory.connect.awaitStruck();
            anotherCallerIsServedMeanwhile("a");
            closeReturnsWhileHung(factory.connect);
            Outcome<Lease<FakeConnection>> late = fresh.outcome();
            if (late.value != null) {
                late.value.close();
            } else {
                assertThat(late.thrown).as("acquireFresh, its dial done after close").isInstanceOf(PoolClosedException.class);
            }
            return;
        }
        Outcome<Lease<FakeConnection>> fresh = call(() -> subject.acquireFresh("a"));

        if (behaviour.throwsSomething()) {
            assertThat(fresh.thrown).as("acquireFresh").isInstanceOf(ConnectionFailedException.class);
            assertThat(fresh.thrown.getCause()).as("its cause").isSameAs(factory.connect.thrown());
        } else {
            assertThat(fresh.thrown).as("acquireFresh").isNull();
            assertThat(fresh.value.connection().id).as("a newly dialed connection").isEqualTo(factory.ledger.opened.get());
            fresh.value.close();
        }
        assertInterruptRule(fresh, factory.connect);
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · validate@borrow · {1}")
    @MethodSource("everyKindAndBehaviour")
    void validateAtBorrow(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 2, s -> s.validateOnBorrow(true).validateAfterInactivity(Duration.ZERO));
        prewarm(2);
        factory.validate.once();

        if (behaviour == Behaviour.HANGS) {
            Async<Lease<FakeConnection>> borrower = async("borrower", () -> subject.acquire("a", Duration.ofMillis(300)));
            factory.validate.awaitStruck();
            Outcome<Lease<FakeConnection>> borrowed = borrower.outcome();
            assertThat(factory.validate.isHanging()).as("validate still hangs when acquire(300 ms) returned").isTrue();
            if (borrowed.value != null) {
                borrowed.value.close();
            } else {
                assertThat(borrowed.thrown).as("acquire(300 ms)").isInstanceOf(PoolExhaustedException.class);
            }
            anotherCallerIsServedMeanwhile("a");
            hostile.letGo();
            nextCallerIsServed();
            return;
        }
        Outcome<Lease<FakeConnection>> borrowed = call(() -> subject.acquire("a", TIMEOUT));

        assertThat(borrowed.thrown).as("acquire, with validate %s", behaviour).isNull();
        FakeConnection validated = (FakeConnection) factory.validate.target();
        if (behaviour.throwsSomething()) {
            assertThat(borrowed.value.connection()).as("the borrower gets another connection").isNotSameAs(validated);
            await().atMost(BOUND).until(() -> validated.closed);
        } else {
            assertThat(borrowed.value.connection()).as("the connection validated").isSameAs(validated);
        }
        borrowed.value.close();
        assertInterruptRule(borrowed, factory.validate);
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · validate@keepalive · {1}")
    @MethodSource("everyKindAndBehaviour")
    void validateInKeepalive(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 2, s -> s.validateOnBorrow(false).keepaliveInterval(Duration.ofMillis(100)));
        factory.validate.once(); // before the connection exists: only keepalive validates here, however slow this thread is
        prewarm(1);

        factory.validate.awaitStruck();

        assertThat(factory.validate.threads()).as("threads that ran keepalive").allMatch(HostileMatrix::isPoolThread);
        FakeConnection validated = (FakeConnection) factory.validate.target();
        switch (behaviour) {
            case HANGS:
                anotherCallerIsServedMeanwhile("a");
                hostile.letGo();
                break;
            case INTERRUPTS:
                int seen = factory.validations.get();
                await("a later keepalive validates again").atMost(BOUND).until(() -> factory.validations.get() > seen);
                break;
            default:
                if (behaviour.throwsSomething()) {
                    await("the connection whose validate threw is closed").atMost(BOUND).until(() -> validated.closed);
                }
        }
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · close@invalidate · {1}")
    @MethodSource("everyKindAndBehaviour")
    void closeOfAnInvalidatedConnection(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 2);
        Lease<FakeConnection> lease = subject.acquire("a", TIMEOUT);
        FakeConnection victim = lease.connection();
        factory.close.once();

        if (behaviour == Behaviour.HANGS) {
            Async<Void> invalidating = async("invalidator", () -> {
                lease.invalidate();
                return null;
            });
            factory.close.awaitStruck();
            Outcome<Void> invalidated = invalidating.outcome();
            assertThat(factory.close.isHanging()).as("close still hangs when invalidate() returned").isTrue();
            assertThat(invalidated.thrown).as("invalidate()").isNull();
            anotherCallerIsServedMeanwhile("a");
            closeReturnsWhileHung(factory.close);
            return;
        }
        Outcome<Void> invalidated = call(() -> {
            lease.invalidate();
            return null;
        });

        assertThat(invalidated.thrown).as("invalidate(), with close %s", behaviour).isNull();
        await().atMost(BOUND).until(() -> victim.closed);
        assertInterruptRule(invalidated, factory.close);
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · close@release of an expired connection · {1}")
    @MethodSource("everyKindAndBehaviour")
    void closeOfAConnectionReturnedExpired(Kind kind, Behaviour behaviour) {
        ManualTicker ticker = new ManualTicker();
        open(kind, behaviour, 2, s -> s.ticker(ticker).maxLifetime(Duration.ofMinutes(1)));
        Lease<FakeConnection> lease = subject.acquire("a", TIMEOUT);
        FakeConnection victim = lease.connection();
        ticker.advance(Duration.ofMinutes(2));
        factory.close.once();

        if (behaviour == Behaviour.HANGS) {
            Async<Void> releasing = async("releaser", () -> {
                lease.close();
                return null;
            });
            factory.close.awaitStruck();
            Outcome<Void> released = releasing.outcome();
            assertThat(factory.close.isHanging()).as("close still hangs when lease.close() returned").isTrue();
            assertThat(released.thrown).as("lease.close()").isNull();
            anotherCallerIsServedMeanwhile("a");
            closeReturnsWhileHung(factory.close);
            return;
        }
        Outcome<Void> released = call(() -> {
            lease.close();
            return null;
        });

        assertThat(released.thrown).as("lease.close() of an expired connection, with close %s", behaviour).isNull();
        await().atMost(BOUND).until(() -> victim.closed);
        assertInterruptRule(released, factory.close);
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · close@evictIdle · {1}")
    @MethodSource("everyKindAndBehaviour")
    void closeOnEviction(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 2);
        prewarm(1);
        factory.close.once();

        if (behaviour == Behaviour.HANGS) {
            Async<Integer> evicting = async("evictor", () -> subject.pool.evictIdle());
            factory.close.awaitStruck();
            anotherCallerIsServedMeanwhile("a");
            closeReturnsWhileHung(factory.close);
            assertThat(evicting.outcome().thrown).as("evictIdle(), once close returned").isNull();
            return;
        }
        Outcome<Integer> evicted = call(() -> subject.pool.evictIdle());

        assertThat(evicted.thrown).as("evictIdle(), with close %s", behaviour).isNull();
        assertThat(evicted.value).as("connections evicted").isEqualTo(subject.keys().size());
        FakeConnection victim = (FakeConnection) factory.close.target();
        await().atMost(BOUND).until(() -> victim.closed);
        assertInterruptRule(evicted, factory.close);
        nextCallerIsServed();
    }

    @ParameterizedTest(name = "{0} · close@idle-timeout · {1}")
    @MethodSource("everyKindAndBehaviour")
    void closeOfAConnectionIdlePastItsTimeout(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 2, s -> s.idleTimeout(Duration.ofMillis(100)));
        factory.close.once(); // before the connection exists: only the idle timeout closes here, however slow this thread is
        prewarm(1);

        factory.close.awaitStruck();

        assertThat(factory.close.threads()).as("threads that closed idle connections").allMatch(HostileMatrix::isPoolThread);
        if (behaviour == Behaviour.HANGS) {
            anotherCallerIsServedMeanwhile("a");
            closeReturnsWhileHung(factory.close);
            return;
        }
        nextCallerIsServed();
        await("later idle connections are closed too").atMost(BOUND).until(() -> factory.open() == 0);
    }

    @ParameterizedTest(name = "{0} · close@pool.close(grace) · {1}")
    @MethodSource("everyKindAndBehaviour")
    void closeWhenThePoolCloses(Kind kind, Behaviour behaviour) {
        open(kind, behaviour, 2);
        prewarm(2);
        Lease<FakeConnection> held = subject.acquire("a", TIMEOUT); // closed under its holder when the grace runs out
        factory.close.once();

        Outcome<Void> closed;
        if (behaviour == Behaviour.HANGS) {
            Async<Void> closing = async("closer", () -> {
                subject.pool.close(Duration.ofMillis(200));
                return null;
            });
            factory.close.awaitStruck();
            closed = closing.outcome();
            assertThat(factory.close.isHanging()).as("close still hangs when pool.close(200 ms) returned").isTrue();
            hostile.letGo();
        } else {
            closed = call(() -> {
                subject.pool.close(Duration.ofMillis(200));
                return null;
            });
            assertInterruptRule(closed, factory.close);
        }

        if (closed.thrown != null) {
            assertThat(behaviour.throwsSomething() || behaviour == Behaviour.HANGS)
                    .as("pool.close(200 ms) threw %s although close %s", closed.thrown, behaviour).isTrue();
            assertThat(closed.thrown).as("pool.close(200 ms)").isInstanceOf(PoolException.class);
            if (behaviour.throwsSomething()) {
                assertThat(closed.thrown.getSuppressed()).as("the close errors it reports").contains(factory.close.thrown());
            }
        }
        held.close(); // back late, after the pool closed it: must not close it again
        assertThat(call(() -> subject.acquire("a", TIMEOUT)).thrown).as("a caller of the closed pool")
                .isInstanceOf(PoolClosedException.class);
    }
}
