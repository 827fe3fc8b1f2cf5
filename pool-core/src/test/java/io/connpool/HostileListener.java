package io.connpool;

/** A listener that is hostile in the one method a test case aims at, and silent in the others. */
final class HostileListener implements PoolListener {

    enum Event {
        CREATED("onConnectionCreated"),
        FAILED("onConnectionFailed"),
        DESTROYED("onConnectionDestroyed"),
        ACQUIRED("onAcquired"),
        RELEASED("onReleased"),
        ACQUIRE_TIMEOUT("onAcquireTimeout"),
        OPERATION("onOperation"),
        LEAK_SUSPECTED("onLeakSuspected"),
        CIRCUIT_CHANGED("onCircuitStateChanged");

        private final String method;

        Event(String method) {
            this.method = method;
        }

        @Override
        public String toString() {
            return method;
        }
    }

    final Hostile.Hook hook;
    private volatile Event target;

    HostileListener(Hostile hostile) {
        this.hook = hostile.hook("listener");
    }

    /** Aims the hook at one method; the hook still has to be armed. */
    Hostile.Hook at(Event event) {
        target = event;
        return hook;
    }

    private void on(Event event) {
        if (target == event) {
            hook.strike();
        }
    }

    @Override
    public void onConnectionCreated(ConnectionInfo connection, long connectNanos) {
        on(Event.CREATED);
    }

    @Override
    public void onConnectionFailed(Throwable error, long connectNanos) {
        on(Event.FAILED);
    }

    @Override
    public void onConnectionDestroyed(ConnectionInfo connection, DestroyReason reason) {
        on(Event.DESTROYED);
    }

    @Override
    public void onAcquired(long waitNanos) {
        on(Event.ACQUIRED);
    }

    @Override
    public void onReleased(long usageNanos) {
        on(Event.RELEASED);
    }

    @Override
    public void onAcquireTimeout(long waitNanos) {
        on(Event.ACQUIRE_TIMEOUT);
    }

    @Override
    public void onOperation(boolean success) {
        on(Event.OPERATION);
    }

    @Override
    public void onLeakSuspected(ConnectionInfo connection, long heldNanos) {
        on(Event.LEAK_SUSPECTED);
    }

    @Override
    public void onCircuitStateChanged(CircuitState from, CircuitState to, Throwable lastError) {
        on(Event.CIRCUIT_CHANGED);
    }
}
