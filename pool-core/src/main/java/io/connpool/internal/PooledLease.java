package io.connpool.internal;

import io.connpool.ConnectionInfo;
import io.connpool.Lease;

import java.util.Map;

/**
 * One checkout of one slot (for a shared pool: one call on a shared connection). A new lease per
 * checkout is what makes {@code close()} safe to call twice: a stale lease can never give back a
 * connection someone else holds by now.
 *
 * <p>A lease never leaves the caller's method in the usual {@code try (Lease<C> lease = pool.acquire())},
 * so the JIT can do without allocating it, if it inlines every call that sees the lease. The one it
 * would not inline is {@code close()} on the exception path that try-with-resources adds: that call
 * site has never run, and C2 inlines nothing there bigger than {@code -XX:MaxTrivialSize} (6 bytes of
 * bytecode), so the lease escaped into that call and was allocated on every checkout. Hence
 * {@link #close()} is 5 bytes that call {@code release()}: it is inlined even there, and the call
 * inside it carries its own profile, counted by every normal close, so {@code release()} is inlined
 * too. Measured (UncontendedBenchmark, 1 thread, -prof gc): 16 to 0 bytes allocated per cycle, 60.3
 * to 67.5 ops/us. {@code LeaseInliningTest} keeps {@code close()} that small, and
 * {@code ExceptionPathAllocationTest} measures that such a checkout allocates nothing.
 *
 * <p>The lease is also as small as an object can be, for callers whose leases do escape: a header
 * and one reference (16 bytes); the slot knows its engine and when it was taken, and the reference is
 * cleared on close.
 */
abstract class PooledLease<C> implements Lease<C> {

    /** The checked-out slot; null once the lease is closed or invalidated. */
    Slot<C> slot;

    PooledLease(Slot<C> slot) {
        this.slot = slot;
    }

    /** When the call this lease stands for began (the listener's usage time is measured from it). */
    abstract long callStart(Slot<C> slot);

    /** The lease of an exclusive pool: the slot itself records when it was taken. */
    static final class Exclusive<C> extends PooledLease<C> {

        Exclusive(Slot<C> slot) {
            super(slot);
        }

        @Override
        long callStart(Slot<C> slot) {
            return slot.acquiredAt;
        }
    }

    /** One call on a shared connection, which many calls hold at once: the call keeps its start. */
    static final class Call<C> extends PooledLease<C> {

        private final long acquiredAt;

        Call(Slot<C> slot, long acquiredAt) {
            super(slot);
            this.acquiredAt = acquiredAt;
        }

        @Override
        long callStart(Slot<C> slot) {
            return acquiredAt;
        }
    }

    @Override
    public final void close() {
        release(); // keep it this small: see the class comment and LeaseInliningTest
    }

    private void release() {
        Slot<C> s = slot;
        if (s != null) {
            slot = null;
            s.engine.release(s, callStart(s));
        }
    }

    @Override
    public final void invalidate() {
        Slot<C> s = slot;
        if (s != null) {
            slot = null;
            s.engine.invalidate(s, callStart(s));
        }
    }

    @Override
    public C connection() {
        return open().connection;
    }

    @Override
    public Lease<C> tag(String key, String value) {
        Slot<C> s = open();
        if (key == null || value == null) {
            throw new IllegalArgumentException("tag key and value must not be null");
        }
        s.tag(key, value);
        return this;
    }

    @Override
    public Map<String, String> tags() {
        return open().tags();
    }

    @Override
    public ConnectionInfo info() {
        Slot<C> s = open();
        return s.engine.info(s);
    }

    private Slot<C> open() {
        Slot<C> s = slot;
        if (s == null) {
            throw new IllegalStateException("This lease was already closed and its connection went back to the pool;"
                    + " acquire a new lease (the connection may be in use by another caller by now)");
        }
        return s;
    }

    @Override
    public String toString() {
        Slot<C> s = slot;
        return s == null ? "Lease[closed]" : "Lease[pool=" + s.engine.name() + ", connection=" + s.id + "]";
    }
}
