package io.connpool.internal;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The words that threads write on every checkout must lie behind their 128 bytes of padding. The JVM
 * chooses field offsets itself and fills holes with small fields, which once put a slot's state word
 * in the 4 bytes after the object header, before the padding (see SlotPadding).
 */
class PaddingLayoutTest {

    private static final long PADDING = 128;

    @Test
    void aSlotsStateWordComesAfterItsPadding() throws Exception {
        assertThat(offset(Slot.class.getDeclaredField("state"))).isGreaterThanOrEqualTo(PADDING);
    }

    @Test
    void aPaddedCountersValueComesAfterItsPadding() throws Exception {
        assertThat(offset(PaddedCounter.class.getSuperclass().getDeclaredField("value"))).isGreaterThanOrEqualTo(PADDING);
    }

    /** The field's offset in its object, from sun.misc.Unsafe (reached reflectively: no compiler warning). */
    private static long offset(Field field) throws Exception {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field instance = unsafeClass.getDeclaredField("theUnsafe");
        instance.setAccessible(true);
        Method objectFieldOffset = unsafeClass.getMethod("objectFieldOffset", Field.class);
        return (long) objectFieldOffset.invoke(instance.get(null), field);
    }
}
