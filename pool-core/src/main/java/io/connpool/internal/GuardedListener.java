package io.connpool.internal;

import io.connpool.CircuitState;
import io.connpool.ConnectionInfo;
import io.connpool.DestroyReason;
import io.connpool.PoolListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Fans events out to the user's listeners, so that one listener throwing anything (an Error, a checked
 * exception thrown sneakily) neither reaches the pool's caller nor starves the next listener; see
 * {@link UserCode} for what happens to interrupts. With no user listener the pool holds {@link #NONE}, whose empty
 * methods the JIT removes from the hot path.
 */
final class GuardedListener implements PoolListener {

    static final PoolListener NONE = new PoolListener() {
    };

    private final String poolName;
    private final PoolListener[] listeners;
    /** How many times each listener has thrown, so that one throwing on every checkout cannot flood the log. */
    private final AtomicLongArray throwsSoFar;

    private GuardedListener(String poolName, List<PoolListener> listeners) {
        this.poolName = poolName;
        this.listeners = listeners.toArray(new PoolListener[0]);
        this.throwsSoFar = new AtomicLongArray(this.listeners.length);
    }

    static PoolListener of(String poolName, List<PoolListener> listeners) {
        return listeners.isEmpty() ? NONE : new GuardedListener(poolName, listeners);
    }

    /** No checkout is timed: no listener wants usage times. */
    static final byte USAGE_NOT_TIMED = 0;
    /** Every checkout is timed: a listener wants every release's usage time. */
    static final byte USAGE_EVERY = 1;
    /** A sample of the checkouts is timed: every listener said a sample will do (PoolListener#samplesUsage). */
    static final byte USAGE_SAMPLED = 2;

    /** How the pool times checkouts for {@code listener}, made by {@link #of}. */
    static byte usageTiming(PoolListener listener) {
        if (listener == NONE) {
            return USAGE_NOT_TIMED;
        }
        for (PoolListener l : ((GuardedListener) listener).listeners) {
            boolean sampled;
            try {
                sampled = l.samplesUsage();
            } catch (Throwable e) {
                UserCode.listenerFailed(l, "samplesUsage", ((GuardedListener) listener).poolName, e, 1);
                sampled = false;
            }
            if (!sampled) {
                return USAGE_EVERY;
            }
        }
        return USAGE_SAMPLED;
    }

    private void failed(PoolListener listener, String event, Throwable e) {
        int index = 0;
        while (listeners[index] != listener) {
            index++;
        }
        UserCode.listenerFailed(listener, event, poolName, e, throwsSoFar.incrementAndGet(index));
    }

    @Override
    public void onConnectionCreated(ConnectionInfo connection, long connectNanos) {
        for (PoolListener l : listeners) {
            try {
                l.onConnectionCreated(connection, connectNanos);
            } catch (Throwable e) {
                failed(l, "onConnectionCreated", e);
            }
        }
    }

    @Override
    public void onConnectionFailed(Throwable error, long connectNanos) {
        for (PoolListener l : listeners) {
            try {
                l.onConnectionFailed(error, connectNanos);
            } catch (Throwable e) {
                failed(l, "onConnectionFailed", e);
            }
        }
    }

    @Override
    public void onConnectionDestroyed(ConnectionInfo connection, DestroyReason reason) {
        for (PoolListener l : listeners) {
            try {
                l.onConnectionDestroyed(connection, reason);
            } catch (Throwable e) {
                failed(l, "onConnectionDestroyed", e);
            }
        }
    }

    @Override
    public void onAcquired(long waitNanos) {
        for (PoolListener l : listeners) {
            try {
                l.onAcquired(waitNanos);
            } catch (Throwable e) {
                failed(l, "onAcquired", e);
            }
        }
    }

    @Override
    public void onReleased(long usageNanos) {
        for (PoolListener l : listeners) {
            try {
                l.onReleased(usageNanos);
            } catch (Throwable e) {
                failed(l, "onReleased", e);
            }
        }
    }

    @Override
    public void onAcquireTimeout(long waitNanos) {
        for (PoolListener l : listeners) {
            try {
                l.onAcquireTimeout(waitNanos);
            } catch (Throwable e) {
                failed(l, "onAcquireTimeout", e);
            }
        }
    }

    @Override
    public void onOperation(boolean success) {
        for (PoolListener l : listeners) {
            try {
                l.onOperation(success);
            } catch (Throwable e) {
                failed(l, "onOperation", e);
            }
        }
    }

    @Override
    public void onLeakSuspected(ConnectionInfo connection, long heldNanos) {
        for (PoolListener l : listeners) {
            try {
                l.onLeakSuspected(connection, heldNanos);
            } catch (Throwable e) {
                failed(l, "onLeakSuspected", e);
            }
        }
    }

    @Override
    public void onCircuitStateChanged(CircuitState from, CircuitState to, Throwable lastError) {
        for (PoolListener l : listeners) {
            try {
                l.onCircuitStateChanged(from, to, lastError);
            } catch (Throwable e) {
                failed(l, "onCircuitStateChanged", e);
            }
        }
    }
}
