package io.connpool.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol between a fill counting the demand and the serves of waiters, one interleaving per
 * test, played on one thread: "fill" steps are what Engine.unservedWaiters does, "serve" steps what
 * Engine.dispatch and a waiter serving itself do.
 */
class ServingTest {

    private final Serving serving = new Serving();

    @Test
    void aServeRunningWhileTheFillLooksIsCountedAsOverlapping() {
        int mark = serving.mark();     // fill: before reading the waiter count
        serving.begin();               // serve: before claiming a connection for the waiter
        assertThat(serving.overlapping(mark)).isEqualTo(1); // fill: after its look at the slots
    }

    @Test
    void aServeOverBeforeTheFillLooksIsNot() {
        serving.begin();
        serving.end();
        int mark = serving.mark();
        assertThat(serving.overlapping(mark)).isZero();
    }

    @Test
    void aServeThatBeganAndEndedDuringTheLookIsCountedAsOverlapping() {
        int mark = serving.mark();
        serving.begin();
        serving.end();
        assertThat(serving.overlapping(mark)).isEqualTo(1);
    }

    @Test
    void aServeStillRunningWhenTheFillAsksRunsTheFillWhenItEnds() {
        int mark = serving.mark();
        serving.begin();
        int overlapping = serving.overlapping(mark);
        assertThat(serving.askRefill(mark, overlapping)).as("fill must look again itself").isFalse();
        assertThat(serving.end()).as("the serve runs the fill").isTrue();
    }

    @Test
    void oneAskRunsTheFillOnce() {
        int mark = serving.mark();
        serving.begin();
        serving.begin();
        serving.askRefill(mark, serving.overlapping(mark));
        assertThat(serving.end()).isTrue();
        assertThat(serving.end()).as("the second serve to end").isFalse();
        serving.begin();
        assertThat(serving.end()).as("a later serve").isFalse();
    }

    @Test
    void aFillWhoseServesEndedWhileItLookedLooksAgainItself() {
        int mark = serving.mark();
        serving.begin();
        int overlapping = serving.overlapping(mark);
        assertThat(serving.end()).as("nobody asked yet").isFalse();
        assertThat(serving.askRefill(mark, overlapping)).isTrue();
    }

    @Test
    void aLaterServeEndingFirstCannotHideOneStillRunning() {
        int mark = serving.mark();
        serving.begin();               // serve A, overlapping the look
        int overlapping = serving.overlapping(mark);
        serving.begin();               // serve B, after the look
        serving.end();                 // B ends first: as many ends as the look saw begins
        assertThat(serving.askRefill(mark, overlapping)).as("looks again, since it cannot tell").isTrue();
        int again = serving.mark();
        int stillOverlapping = serving.overlapping(again);
        assertThat(stillOverlapping).as("A, on the second look").isEqualTo(1);
        assertThat(serving.askRefill(again, stillOverlapping)).isFalse();
        assertThat(serving.end()).as("A ends and runs the fill").isTrue();
    }
}
