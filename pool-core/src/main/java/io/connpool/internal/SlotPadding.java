package io.connpool.internal;

/**
 * 128 bytes laid out before the fields of a subclass (a slot, a counter). Slots are allocated one
 * after another and their state words are written by different threads; without this, neighbouring
 * slots share cache lines and threads using different connections slow each other down (false
 * sharing). Measured on the shared-routing benchmark at 2 threads: least-in-flight 341 → 167 ns/op,
 * two-choices 349 → 150 ns/op.
 *
 * <p>{@code headerGap} takes the 4 bytes after the object header. Left free, the JVM fills that hole
 * with the first int field of a subclass, which put a slot's {@code state} before the padding, on the
 * cache line of whatever object precedes it in memory: after a collection, that was the array of
 * slots every checkout reads. Measured (ContendedBenchmark, 2 threads on a pool of 2, alternating
 * runs): ~37-60 ops/µs in most forks, ~95 when the collector happened to place the array elsewhere;
 * with the gap taken, every fork ran at ~95.
 */
abstract class SlotPadding {
    int headerGap;
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}
