package io.connpool.internal;

import java.time.Duration;

/**
 * Arithmetic on settings that clamps instead of overflowing. A huge setting is legal and means "no
 * practical limit": {@code ChronoUnit.FOREVER} as a timeout, {@code Integer.MAX_VALUE} as a size.
 * Overflow would turn it into its opposite (a deadline in the past, a negative queue limit), so every
 * {@link Duration} becomes nanoseconds here, and every size derived from another goes through here.
 *
 * <p>The engine reads time as {@code System.nanoTime()} or a {@code Ticker}, whose origin is
 * arbitrary, and compares instants only by subtraction ({@code now - deadline >= 0}). That is correct
 * across a wrap of the long as long as the instants compared lie less than 2<sup>63</sup> ns apart, so
 * durations are held to {@link #FOREVER_NANOS}: a deadline {@code now + FOREVER_NANOS} and its
 * distance to any reading of the clock in the next few centuries stay within a long.
 */
public final class Saturating {

    /**
     * The longest duration the pool tells apart from forever: {@code Long.MAX_VALUE / 4} ns, about 73
     * years. A timeout, grace, lifetime or back-off longer than this is this long, which no pool
     * lives to see.
     */
    public static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

    private static final Duration FOREVER = Duration.ofNanos(FOREVER_NANOS);

    private Saturating() {
    }

    /**
     * {@code duration} in nanoseconds, at most {@link #FOREVER_NANOS} (at least its negation). Unlike
     * {@link Duration#toNanos()}, never throws: {@code ChronoUnit.FOREVER} has ~9 × 10<sup>27</sup> ns.
     */
    public static long toNanos(Duration duration) {
        if (duration.compareTo(FOREVER) >= 0) {
            return FOREVER_NANOS;
        }
        if (duration.compareTo(FOREVER.negated()) <= 0) {
            return -FOREVER_NANOS;
        }
        return duration.toNanos();
    }

    /** {@code nanos} held to at most {@link #FOREVER_NANOS}; negative values (a setting's "off") pass. */
    public static long clamp(long nanos) {
        return Math.min(nanos, FOREVER_NANOS);
    }

    /**
     * The instant {@code timeoutNanos} after {@code now}, for comparison by subtraction only. A timeout
     * longer than {@link #FOREVER_NANOS} waits that long: {@code now + Long.MAX_VALUE} would wrap to a
     * deadline that, read by subtraction, has already passed.
     */
    public static long deadline(long now, long timeoutNanos) {
        return now + clamp(timeoutNanos);
    }

    /** {@code nanos} doubled, at most {@code max}. */
    public static long doubled(long nanos, long max) {
        return nanos > max / 2 ? max : Math.min(max, nanos * 2);
    }

    /** {@code a × b} for non-negative sizes, at most {@code Integer.MAX_VALUE}. */
    public static int times(int a, int b) {
        return (int) Math.min(Integer.MAX_VALUE, (long) a * b);
    }

    /**
     * {@code duration} in whole milliseconds, rounded up, as an int (a socket's timeouts): at most
     * {@code Integer.MAX_VALUE} (~24.8 days), and 1 ms for anything above zero, because zero there
     * means "no timeout".
     */
    public static int toMillisCeil(Duration duration) {
        long nanos = toNanos(duration);
        if (nanos <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }
}
