package io.connpool.review;

/** A fake connection the review's ledger tracks. */
public final class Conn {
    final long id;
    final Object key;

    Conn(long id, Object key) {
        this.id = id;
        this.key = key;
    }

    @Override
    public String toString() {
        return "Conn#" + id + (key == null ? "" : "@" + key);
    }
}
