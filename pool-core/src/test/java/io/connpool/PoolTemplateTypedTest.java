package io.connpool;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed way to use PoolTemplate: a handle looked up once per pool, whose callbacks get the
 * connection typed, over each kind of pool; and what a caller sees when the type it asks for is wrong.
 */
class PoolTemplateTypedTest {

    @RegisterExtension
    final PoolInvariants invariants = new PoolInvariants();

    /** A connection of the test's own: the pools hand these out; callers that ask for String are wrong. */
    record Channel(int id) {
    }

    private final AtomicInteger ids = new AtomicInteger();
    private Map<String, ManagedPool> pools;

    @BeforeEach
    void createPools() {
        ConnectionFactory<Channel> factory = () -> new Channel(ids.incrementAndGet());
        pools = Map.of(
                "echo", invariants.track(Pool.builder(factory).name("echo").maxSize(2).acquireTimeout(Duration.ofSeconds(5)).build()),
                "prices", invariants.track(SharedPool.builder(factory).name("prices").maxSize(1).build()),
                "backends", invariants.track(KeyedPool.builder((String key) -> new Channel(ids.incrementAndGet()))
                        .name("backends").maxPerKey(2).build()));
    }

    private PoolTemplate template() {
        return new PoolTemplate(new PoolRegistry(pools));
    }

    private PoolTemplate templateKnowingTypes() {
        return new PoolTemplate(new PoolRegistry(pools, Map.of("echo", Channel.class, "prices", Channel.class, "backends", Channel.class)));
    }

    @Test
    void aHandleOnAnExclusivePoolGivesItsCallbacksTheConnectionTyped() {
        PoolHandle<Channel> echo = template().pool("echo", Channel.class);
        int id = echo.withConnection(c -> c.id());
        assertThat(id).isPositive();
        assertThat(echo.sendBatch(List.of("a", "b"), (c, m) -> m + c.id())).hasSize(2);
        assertThat(echo.sendBatchParallel(List.of("a", "b"), (c, m) -> m + c.id()).successful()).hasSize(2);
        assertThat(echo.stats().maxSize()).isEqualTo(2);
    }

    @Test
    void aHandleOnASharedPoolGivesItsCallbacksTheConnectionTyped() {
        PoolHandle<Channel> prices = template().pool("prices", Channel.class);
        int first = prices.withConnection(c -> c.id());
        int second = prices.withConnection(c -> c.id());
        assertThat(second).isEqualTo(first);
        assertThat(prices.sendBatchParallel(List.of(1, 2, 3), (c, m) -> m * c.id()).successful()).hasSize(3);
    }

    @Test
    void aHandleOnAKeyedPoolTakesTheKeyAndGivesTheConnectionTyped() {
        KeyedPoolHandle<String, Channel> backends = template().keyedPool("backends", String.class, Channel.class);
        int a = backends.withConnection("a", c -> c.id());
        int b = backends.withConnection("b", c -> c.id());
        assertThat(b).isNotEqualTo(a);
        assertThat(backends.sendBatch("a", List.of(1, 2), (c, m) -> c.id())).containsExactly(a, a);
        assertThat(backends.sendBatchParallel("a", List.of(1, 2), (c, m) -> m).successful()).containsExactlyInAnyOrder(1, 2);
        assertThat(backends.stats("a").maxSize()).isEqualTo(2);
    }

    @Test
    void aSupertypeOfTheConnectionsIsAskableToo() {
        PoolHandle<Object> echo = template().pool("echo", Object.class);
        Object connection = echo.withConnection(c -> c);
        assertThat(connection).isInstanceOf(Channel.class);
    }

    @Test
    void theWrongTypeFailsOnFirstUseBeforeTheCallbackRunsNamingPoolExpectedAndActual() {
        PoolHandle<String> echo = template().pool("echo", String.class);
        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> echo.withConnection(c -> ran.incrementAndGet()))
                .isInstanceOf(WrongConnectionTypeException.class)
                .hasMessage("Pool 'echo' handed out a connection of type " + Channel.class.getName()
                        + ", but the caller expects java.lang.String; ask for pool(\"echo\", Channel.class) or a supertype of it")
                .satisfies(e -> {
                    WrongConnectionTypeException wrong = (WrongConnectionTypeException) e;
                    assertThat(wrong.pool()).isEqualTo("echo");
                    assertThat(wrong.expected()).isEqualTo(String.class);
                    assertThat(wrong.actual()).isEqualTo(Channel.class);
                });
        assertThat(ran).hasValue(0);
        assertThat(pools.get("echo").stats().inUse()).isZero();
    }

    @Test
    void theWrongTypeFailsABatchOnceRatherThanAsItsFirstMessage() {
        PoolHandle<String> echo = template().pool("echo", String.class);
        assertThatThrownBy(() -> echo.sendBatch(List.of(1, 2), (c, m) -> m)).isInstanceOf(WrongConnectionTypeException.class)
                .hasMessageContaining("Pool 'echo'");
        assertThatThrownBy(() -> echo.sendBatchParallel(List.of(1, 2), (c, m) -> m)).isInstanceOf(WrongConnectionTypeException.class)
                .hasMessageContaining("Pool 'echo'");
    }

    @Test
    void theWrongTypeFailsOnASharedPoolToo() {
        PoolHandle<String> prices = template().pool("prices", String.class);
        assertThatThrownBy(() -> prices.withConnection(c -> c)).isInstanceOf(WrongConnectionTypeException.class)
                .hasMessageContaining("Pool 'prices' handed out a connection of type " + Channel.class.getName());
    }

    @Test
    void theWrongTypeFailsOnAKeyedPoolWithAHintThatKeepsTheKey() {
        KeyedPoolHandle<String, String> backends = template().keyedPool("backends", String.class, String.class);
        assertThatThrownBy(() -> backends.withConnection("a", c -> c))
                .isInstanceOf(WrongConnectionTypeException.class)
                .hasMessage("Pool 'backends' handed out a connection of type " + Channel.class.getName()
                        + ", but the caller expects java.lang.String;"
                        + " ask for keyedPool(\"backends\", <key type>.class, Channel.class) or a supertype of it");
    }

    @Test
    void whereTheRegistryKnowsTheTypeTheWrongOneFailsAtLookupBeforeAnyConnection() {
        assertThatThrownBy(() -> templateKnowingTypes().pool("echo", String.class))
                .isInstanceOf(WrongConnectionTypeException.class)
                .hasMessage("Pool 'echo' hands out connections of type " + Channel.class.getName()
                        + ", which cannot be java.lang.String as asked; ask for pool(\"echo\", Channel.class) or a supertype of it");
        assertThatThrownBy(() -> templateKnowingTypes().keyedPool("backends", String.class, Integer.class))
                .isInstanceOf(WrongConnectionTypeException.class).hasMessageContaining("Pool 'backends'");
        assertThat(ids).hasValue(0);
    }

    @Test
    void aDeclaredTypeThatMayHoldTheAskedSubtypeLeavesTheCheckToFirstUse() {
        PoolTemplate template = new PoolTemplate(new PoolRegistry(pools, Map.of("echo", Record.class)));
        int id = template.pool("echo", Channel.class).withConnection(c -> c.id());
        assertThat(id).isPositive();
        assertThatThrownBy(() -> template.pool("echo", Comparable.class).withConnection(c -> c))
                .isInstanceOf(WrongConnectionTypeException.class);
    }

    @Test
    void anUnknownPoolNameListsTheConfiguredPools() {
        assertThatThrownBy(() -> template().pool("ecko", Channel.class))
                .isInstanceOf(PoolException.class).hasMessageStartingWith("No pool named 'ecko'; the pools are [")
                .hasMessageContaining("echo").hasMessageContaining("prices").hasMessageContaining("backends");
        assertThatThrownBy(() -> template().keyedPool("backend", String.class, Channel.class))
                .isInstanceOf(PoolException.class).hasMessageStartingWith("No pool named 'backend'; the pools are [");
    }

    @Test
    void aKeyedPoolAskedForWithoutKeyOrAPlainOneWithASayWhichToUse() {
        assertThatThrownBy(() -> template().pool("backends", Channel.class)).isInstanceOf(PoolException.class)
                .hasMessage("Pool 'backends' is keyed: use keyedPool(\"backends\", <key type>.class, Channel.class)");
        assertThatThrownBy(() -> template().keyedPool("echo", String.class, Channel.class)).isInstanceOf(PoolException.class)
                .hasMessage("Pool 'echo' is not keyed: use pool(\"echo\", Channel.class)");
    }

    @Test
    void theUntypedMethodsClassCastExceptionNamesThePool() {
        assertThatThrownBy(() -> template().withConnection("echo", (String c) -> c))
                .isInstanceOf(ClassCastException.class)
                .hasMessageStartingWith("In a callback on pool 'echo': class " + Channel.class.getName() + " cannot be cast")
                .hasMessageContaining("use PoolTemplate.pool(\"echo\", <connection type>.class)")
                .hasCauseInstanceOf(ClassCastException.class);
        assertThatThrownBy(() -> templateKnowingTypes().withConnection("backends", "a", (String c) -> c))
                .isInstanceOf(ClassCastException.class)
                .hasMessageStartingWith("In a callback on pool 'backends' (whose connections are " + Channel.class.getName() + ")");
    }
}
