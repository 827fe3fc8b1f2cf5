package io.connpool;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PoolTemplate with the wrong input: it says what is wrong and which pools there are. */
class PoolTemplateTest extends PoolTestSupport {

    private Pool<FakeConnection> echo;
    private PoolTemplate template;

    @BeforeEach
    void createTemplate() {
        echo = pool(builder().name("echo").maxSize(1));
        template = new PoolTemplate(new PoolRegistry(Map.of("echo", echo)));
    }

    @Test
    void unknownPoolNameIsAPoolExceptionListingThePools() {
        assertThatThrownBy(() -> template.withConnection("ecko", (FakeConnection c) -> c))
                .isInstanceOf(PoolException.class).hasMessage("No pool named 'ecko'; the pools are [echo]");
    }

    @Test
    void nullCallbackIsRejectedBeforeAnyConnectionIsTaken() {
        assertThatThrownBy(() -> template.withConnection("echo", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callback");
        assertThat(echo.stats().created()).isZero();
    }

    @Test
    void batchesWithUnknownPoolNameFailTheSameWay() {
        assertThatThrownBy(() -> template.sendBatch("nope", List.of(1), (FakeConnection c, Integer m) -> m))
                .isInstanceOf(PoolException.class).hasMessageContaining("No pool named 'nope'");
    }

    /**
     * A callback may return the connection itself; the pool cannot stop that. Once the callback returns
     * the connection is the pool's again and is lent to the next caller: the escaped reference is then
     * shared with someone else. Hold it with acquire() and a Lease instead (leak detection then watches it).
     */
    @Test
    void aConnectionReturnedOutOfItsCallbackIsLentToTheNextCallerAnyway() {
        FakeConnection escaped = template.withConnection("echo", (FakeConnection c) -> c);
        FakeConnection next = template.withConnection("echo", (FakeConnection c) -> c);
        assertThat(next).isSameAs(escaped);
        assertThat(echo.stats().idle()).isEqualTo(1);
        assertThat(echo.stats().inUse()).isZero();
    }
}
