package io.connpool.internal;

import io.connpool.ConnectionInfo;
import io.connpool.Lease;

import java.util.Map;

/**
 * One checkout of one slot (for a shared pool: one call on a shared connection). A new lease per checkout is what makes {@code close()} safe to call twice:
 * a stale lease can never give back a connection someone else holds by now. It is small, and when the
 * caller keeps it in a local variable the JIT's escape analysis usually removes it altogether.
 */
final class PooledLease<C> implements Lease<C> {

    private final Engine<C> engine;
    private final Slot<C> slot;
    private final long acquiredAt;
    private boolean done;

    PooledLease(Engine<C> engine, Slot<C> slot) {
        this.engine = engine;
        this.slot = slot;
        this.acquiredAt = engine.callStart(slot);
    }

    @Override
    public C connection() {
        checkOpen();
        return slot.connection;
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            engine.release(slot, acquiredAt);
        }
    }

    @Override
    public void invalidate() {
        if (!done) {
            done = true;
            engine.invalidate(slot, acquiredAt);
        }
    }

    @Override
    public Lease<C> tag(String key, String value) {
        checkOpen();
        if (key == null || value == null) {
            throw new IllegalArgumentException("tag key and value must not be null");
        }
        slot.tags.put(key, value);
        return this;
    }

    @Override
    public Map<String, String> tags() {
        return Map.copyOf(slot.tags);
    }

    @Override
    public ConnectionInfo info() {
        return engine.info(slot);
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("Lease of connection " + slot.id + " of pool '" + engine.name()
                    + "' was already closed; acquire a new one");
        }
    }

    @Override
    public String toString() {
        return "Lease[pool=" + engine.name() + ", connection=" + slot.id + (done ? ", closed" : "") + "]";
    }
}
