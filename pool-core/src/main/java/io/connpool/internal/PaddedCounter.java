package io.connpool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An int counter alone on its cache lines: every routed call of a round-robin pool increments it, and
 * the engine's read-mostly fields must not share its lines.
 */
final class PaddedCounter extends PaddedCounterValue {

    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;

    int getAndIncrement() {
        return (int) VALUE.getAndAdd(this, 1);
    }
}

abstract class PaddedCounterValue extends SlotPadding {

    static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedCounterValue.class, "value", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile int value;
}
