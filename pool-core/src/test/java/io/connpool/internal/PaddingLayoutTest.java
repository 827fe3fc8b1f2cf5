package io.connpool.internal;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The words that threads write on every checkout must lie behind their 128 bytes of padding. The JVM
 * chooses field offsets itself and fills holes with small fields, which once put a slot's state word
 * in the 4 bytes after the object header, before the padding (see SlotPadding). And the fields a
 * checkout reads must lie close together, so that a keyed pool with thousands of keys, which finds
 * them in no cache, misses on as few cache lines as it can (see EngineHotFields, SlotHotFields).
 */
class PaddingLayoutTest {

    private static final long PADDING = 128;

    @Test
    void aSlotsStateWordComesAfterItsPadding() throws Exception {
        assertThat(offset(SlotHotFields.class.getDeclaredField("state"))).isGreaterThanOrEqualTo(PADDING);
    }

    @Test
    void aSlotsHotFieldsLieTogetherRightAfterItsPadding() throws Exception {
        long first = Long.MAX_VALUE;
        long end = 0;
        for (Field field : SlotHotFields.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                first = Math.min(first, offset(field));
                end = Math.max(end, offset(field) + size(field));
            }
        }
        assertThat(first).as("first hot field of a slot").isGreaterThanOrEqualTo(PADDING);
        assertThat(end - first).as("bytes spanned by a slot's hot fields").isLessThanOrEqualTo(32);
    }

    @Test
    void anEnginesHotFieldsLieInItsFirstCacheLine() throws Exception {
        for (Field field : EngineHotFields.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                assertThat(offset(field) + size(field)).as("end of Engine." + field.getName()).isLessThanOrEqualTo(64);
            }
        }
    }

    @Test
    void aPaddedCountersValueComesAfterItsPadding() throws Exception {
        assertThat(offset(PaddedCounter.class.getSuperclass().getDeclaredField("value"))).isGreaterThanOrEqualTo(PADDING);
    }

    /** Bytes a field takes, with compressed references (the default below 32 GB of heap). */
    private static long size(Field field) {
        Class<?> type = field.getType();
        return type == long.class || type == double.class ? 8 : type == boolean.class || type == byte.class ? 1
                : type == short.class || type == char.class ? 2 : 4;
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
