package io.connpool.internal;

/**
 * The fields a checkout and a return touch, declared apart from {@link Slot} so that the JVM lays them
 * out together right after the padding (a superclass's fields come first): in {@code Slot} they were
 * spread over 56 bytes among fields only snapshots read, two cache lines almost always. A keyed pool
 * with thousands of keys finds a slot in no cache, and each line is a miss.
 */
abstract class SlotHotFields<C> extends SlotPadding {

    final Engine<C> engine;
    final C connection;
    /** See {@link Slot}: the number of calls running, or RESERVED, or REMOVED. */
    volatile int state;
    /** Past this instant the slot takes no new user; drain() moves it to "now". */
    volatile long expiresAt;
    /** Written by the owner, published by the release of state. */
    long useCount;
    /**
     * Not validated since a sibling was found broken (Engine.suspectSiblings): the next checkout
     * validates it whatever its idle time. Cleared by a validation that passes.
     */
    volatile boolean suspect;

    SlotHotFields(Engine<C> engine, C connection, long expiresAt) {
        this.engine = engine;
        this.connection = connection;
        this.expiresAt = expiresAt;
        this.state = Slot.RESERVED; // the creator owns it until it is published
    }
}
