package io.connpool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * User code that a pool calls, made to misbehave on command: one {@link Behaviour} for a whole test
 * case, struck at {@link Hook}s the test arms (a factory's connect, a listener method, a filter…).
 * A hook records where it ran and what it threw, so a test can tell where its misbehaviour surfaced.
 */
final class Hostile {

    /** What the user code does when its hook is armed. */
    enum Behaviour {
        RETURNS("returns"),
        THROWS_RUNTIME("throws RuntimeException"),
        THROWS_ERROR("throws Error"),
        THROWS_CHECKED("throws a checked exception"),
        /** Blocks until the test lets go ({@link #letGo()}), whatever interrupts it meanwhile. */
        HANGS("hangs"),
        /** Interrupts the thread it runs on, then returns as {@link #RETURNS} does. */
        INTERRUPTS("interrupts");

        private final String label;

        Behaviour(String label) {
            this.label = label;
        }

        boolean throwsSomething() {
            return this == THROWS_RUNTIME || this == THROWS_ERROR || this == THROWS_CHECKED;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The checked exception of {@link Behaviour#THROWS_CHECKED}: not an IOException, so nothing reads it as "broken". */
    static final class CheckedFailure extends Exception {
        CheckedFailure(String message) {
            super(message);
        }
    }

    private static final long BOUND_SECONDS = 10;

    final Behaviour behaviour;
    private final CountDownLatch letGo = new CountDownLatch(1);
    private final List<Hook> hooks = new CopyOnWriteArrayList<>();

    Hostile(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    /** A place where the pool calls user code; unarmed, it does nothing. */
    Hook hook(String where) {
        Hook hook = new Hook(where);
        hooks.add(hook);
        return hook;
    }

    /** Ends every hang, now and to come. */
    void letGo() {
        letGo.countDown();
    }

    /** The user code behaves from now on, everywhere. */
    void disarmAll() {
        hooks.forEach(Hook::disarm);
    }

    /** One place where the pool calls user code. */
    final class Hook {

        private final String where;
        private final AtomicInteger shots = new AtomicInteger();
        private final List<Thread> ranOn = new CopyOnWriteArrayList<>();
        private final List<Throwable> thrown = new CopyOnWriteArrayList<>();
        private final List<Object> targets = new CopyOnWriteArrayList<>();
        private final AtomicInteger hanging = new AtomicInteger();
        private final CountDownLatch struck = new CountDownLatch(1);

        private Hook(String where) {
            this.where = where;
        }

        /** The next call misbehaves, later ones behave. */
        Hook once() {
            shots.set(1);
            return this;
        }

        /** Every call misbehaves until {@link #disarm()}. */
        Hook always() {
            shots.set(Integer.MAX_VALUE);
            return this;
        }

        void disarm() {
            shots.set(0);
        }

        /** Called by the user code: misbehaves as the case says if armed, else returns at once. */
        void strike() {
            strike(null);
        }

        /** As {@link #strike()}, remembering what the code was working on (the connection it validates…). */
        void strike(Object target) {
            if (shots.getAndUpdate(n -> n > 0 ? n - 1 : 0) == 0) {
                return;
            }
            if (target != null) {
                targets.add(target);
            }
            ranOn.add(Thread.currentThread());
            if (behaviour == Behaviour.HANGS) {
                hanging.incrementAndGet(); // before it counts as struck: a test that saw it struck sees it hang
            }
            struck.countDown();
            String what = "hostile " + where + " on " + Thread.currentThread().getName();
            switch (behaviour) {
                case THROWS_RUNTIME:
                    throw record(new IllegalStateException(what));
                case THROWS_ERROR:
                    throw record(new Error(what));
                case THROWS_CHECKED:
                    throw Hostile.<RuntimeException>sneaky(record(new CheckedFailure(what)));
                case HANGS:
                    hang();
                    return;
                case INTERRUPTS:
                    Thread.currentThread().interrupt();
                    return;
                default:
                    return;
            }
        }

        private <T extends Throwable> T record(T error) {
            thrown.add(error);
            return error;
        }

        private void hang() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        letGo.await();
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true; // it hangs, whatever asks it to stop
                    }
                }
            } finally {
                hanging.decrementAndGet();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Waits (bounded) until the user code misbehaved once; fails if the pool never called it. */
        void awaitStruck() {
            try {
                assertThat(struck.await(BOUND_SECONDS, TimeUnit.SECONDS))
                        .as("the pool called the hostile %s within %d s", where, BOUND_SECONDS).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the hostile " + where, e);
            }
        }

        boolean struck() {
            return struck.getCount() == 0;
        }

        boolean ranOn(Thread thread) {
            return ranOn.contains(thread);
        }

        List<Thread> threads() {
            return List.copyOf(ranOn);
        }

        /** What the code was working on when it first misbehaved (waiting, bounded, until it did). */
        Object target() {
            awaitStruck();
            assertThat(targets).as("what the %s was working on", this).isNotEmpty();
            return targets.get(0);
        }

        /** What it threw the first time, or null. */
        Throwable thrown() {
            return thrown.isEmpty() ? null : thrown.get(0);
        }

        boolean isHanging() {
            return hanging.get() > 0;
        }

        @Override
        public String toString() {
            return "hostile " + where + " (" + behaviour + ")";
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable error) throws T {
        throw (T) error;
    }
}
