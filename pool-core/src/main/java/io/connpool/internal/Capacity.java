package io.connpool.internal;

/**
 * Room shared by several engines beyond each engine's own {@code maxSize}: the total cap of a keyed
 * pool. An engine reserves a unit here after reserving one of its own, and frees it when a
 * connection is gone or a dial failed. {@link #UNSHARED} is the engine of a plain pool: no limit,
 * nothing to do, so the JIT folds every call away.
 */
interface Capacity {

    Capacity UNSHARED = new Capacity() {
        @Override
        public boolean tryReserve(Engine<?> requester) {
            return true;
        }

        @Override
        public void free(Engine<?> from) {
        }

        @Override
        public boolean isWanted() {
            return false;
        }

        @Override
        public boolean shouldYield(Engine<?> engine, int engineConnections) {
            return false;
        }

        @Override
        public void onReleased(Engine<?> engine) {
        }

        @Override
        public void onDemandGone(Engine<?> engine) {
        }

        @Override
        public String describe() {
            return "";
        }
    };

    /** Reserves one unit for {@code requester}, making room elsewhere if it can; false when none. */
    boolean tryReserve(Engine<?> requester);

    /** Gives one unit back. */
    void free(Engine<?> from);

    /** True while another engine waits for room: returned connections should make room, not idle. */
    boolean isWanted();

    /**
     * Should {@code engine}, holding {@code engineConnections}, close a returned connection although
     * its own callers wait, because another engine waits for room and this one holds more than its
     * share? Without it, a few busy keys could keep a quiet key out forever.
     */
    boolean shouldYield(Engine<?> engine, int engineConnections);

    /** A connection of {@code engine} went idle: it is a candidate for making room. */
    void onReleased(Engine<?> engine);

    /**
     * The last caller of {@code engine} waiting for any connection left its queue (served, timed
     * out, interrupted, failed): the engine needs no room any more, and its idle connections, which
     * were its callers' while they waited, can make room for others.
     */
    void onDemandGone(Engine<?> engine);

    /** A clause for error messages about the shared limit, e.g. "; max-total 100 reached". */
    String describe();
}
