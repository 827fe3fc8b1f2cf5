package io.connpool.samples.quickstart;

import io.connpool.PoolHandle;
import io.connpool.PoolTemplate;
import io.connpool.tcp.TcpConnection;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Sends the text to the echo server through each pool and shows what came back. */
@RestController
class EchoController {

    private final PoolHandle<TcpConnection> echo;
    private final PoolHandle<TcpConnection> echoShared;

    EchoController(PoolTemplate pools) {
        // looked up once, here: a wrong connection type stops start-up, naming the pool
        this.echo = pools.pool("echo", TcpConnection.class);
        this.echoShared = pools.pool("echo-shared", TcpConnection.class);
    }

    @GetMapping("/echo")
    Map<String, String> echo(@RequestParam(defaultValue = "hello") String text) {
        String exclusive = echo.withConnection(c -> roundTrip(c, text));
        String shared = echoShared.withConnection(c -> roundTrip(c, text));
        return Map.of("echo", exclusive, "echo-shared", shared);
    }

    static String roundTrip(TcpConnection connection, String text) throws IOException {
        byte[] line = (text.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8);
        connection.out().write(line);
        connection.out().flush();
        byte[] reply = connection.in().readNBytes(line.length);
        if (reply.length < line.length) {
            throw new IOException("the echo server closed the connection");
        }
        return new String(reply, StandardCharsets.UTF_8).trim();
    }
}
