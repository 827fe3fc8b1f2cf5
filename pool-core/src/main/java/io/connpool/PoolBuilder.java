package io.connpool;

import io.connpool.internal.PoolConfig;

/**
 * The settings of a pool of connections to one destination ({@link Pool}, {@link SharedPool}): its
 * sizes, and everything in {@link PoolSettings}.
 *
 * @param <B> the concrete builder, so that chained calls keep its type
 */
public abstract class PoolBuilder<B extends PoolBuilder<B>> extends PoolSettings<B> {

    private int maxSize = 10;
    private int minIdle = 0;
    private Integer maxIdle;

    PoolBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The cap on live connections, counting those being opened. Default 10. */
    public B maxSize(int maxSize) {
        this.maxSize = atLeast("maxSize", maxSize, 1);
        return self();
    }

    /** Connections kept open in the background, even when idle. At most {@code maxSize}. Default 0. */
    public B minIdle(int minIdle) {
        this.minIdle = atLeast("minIdle", minIdle, 0);
        return self();
    }

    /** Idle connections beyond this many are closed. At least {@code minIdle}. Default: {@code maxSize}. */
    public B maxIdle(int maxIdle) {
        this.maxIdle = atLeast("maxIdle", maxIdle, 0);
        return self();
    }

    /** Checks the settings against each other and freezes them. */
    PoolConfig config() {
        int idleCap = maxIdle != null ? maxIdle : maxSize;
        checkSizes("maxSize", maxSize, "minIdle", minIdle, "maxIdle", idleCap);
        return config(poolName(), maxSize, minIdle, idleCap);
    }
}
