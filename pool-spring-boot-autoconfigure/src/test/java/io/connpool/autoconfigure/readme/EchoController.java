package io.connpool.autoconfigure.readme;

import io.connpool.PoolHandle;
import io.connpool.PoolTemplate;
import io.connpool.tcp.TcpConnection;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

import static io.connpool.autoconfigure.readme.ReadmeSupport.roundTrip;

// README.md, "With Spring Boot", as written there (ReadmeExamplesTest checks they stay the same)
@RestController
class EchoController {
    private final PoolHandle<TcpConnection> echo;

    EchoController(PoolTemplate pools) {
        this.echo = pools.pool("echo", TcpConnection.class); // checked here, at start-up
    }

    @GetMapping("/echo")
    Map<String, String> echo(@RequestParam String text) {
        return Map.of("echo", echo.withConnection(c -> roundTrip(c, text)));
    }
}
