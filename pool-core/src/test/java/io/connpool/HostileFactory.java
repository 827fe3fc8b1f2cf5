package io.connpool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A factory for every kind of pool (plain and keyed) whose connect, validate and close are hostile on
 * command, over a {@link FakeFactory} that keeps the ledger: a close counts once it was called, even
 * if it then throws or hangs, so a pool that closes a connection again is caught.
 */
final class HostileFactory implements ConnectionFactory<FakeConnection>, KeyedConnectionFactory<String, FakeConnection>,
        ConnectionLedger {

    final FakeFactory ledger = new FakeFactory();
    final Hostile.Hook connect;
    final Hostile.Hook validate;
    final Hostile.Hook close;
    final AtomicInteger validations = new AtomicInteger();
    /** A dial failure of the ordinary kind ("connection refused"), for cases about what follows one. */
    volatile Exception refuse;

    HostileFactory(Hostile hostile) {
        this.connect = hostile.hook("connect");
        this.validate = hostile.hook("validate");
        this.close = hostile.hook("close");
    }

    @Override
    public FakeConnection connect() throws Exception {
        connect.strike();
        Exception refusal = refuse;
        if (refusal != null) {
            throw refusal;
        }
        return ledger.connect();
    }

    @Override
    public boolean validate(FakeConnection connection) {
        validations.incrementAndGet();
        validate.strike(connection);
        return !connection.dead;
    }

    @Override
    public void close(FakeConnection connection) throws Exception {
        connection.close();
        close.strike(connection);
    }

    @Override
    public FakeConnection connect(String key) throws Exception {
        return connect();
    }

    @Override
    public boolean validate(String key, FakeConnection connection) {
        return validate(connection);
    }

    @Override
    public void close(String key, FakeConnection connection) throws Exception {
        close(connection);
    }

    @Override
    public int open() {
        return ledger.open();
    }

    @Override
    public int closedTwice() {
        return ledger.closedTwice();
    }

    @Override
    public int overHeld() {
        return ledger.overHeld();
    }

    @Override
    public String toString() {
        return "HostileFactory(" + ledger + ")";
    }
}
