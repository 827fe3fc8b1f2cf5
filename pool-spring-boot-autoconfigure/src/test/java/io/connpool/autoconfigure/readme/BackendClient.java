package io.connpool.autoconfigure.readme;

import io.connpool.KeyedPoolHandle;
import io.connpool.PoolTemplate;
import io.connpool.tcp.TcpConnection;
import org.springframework.stereotype.Service;

import static io.connpool.autoconfigure.readme.ReadmeSupport.roundTrip;

// README.md, "With Spring Boot", as written there (ReadmeExamplesTest checks they stay the same)
@Service
class BackendClient {
    private final KeyedPoolHandle<String, TcpConnection> backends;

    BackendClient(PoolTemplate pools) {
        this.backends = pools.keyedPool("backends", String.class, TcpConnection.class);
    }

    String ask(String address, String text) {
        return backends.withConnection(address, c -> roundTrip(c, text));
    }
}
