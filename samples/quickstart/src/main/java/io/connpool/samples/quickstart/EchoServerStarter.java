package io.connpool.samples.quickstart;

import io.connpool.testkit.EchoServer;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Starts the embedded echo server before the pools are configured and publishes its port as
 * {@code quickstart.echo.port} (set that property to use a port of your choice; point the pools'
 * {@code address} elsewhere to use your own server).
 */
public class EchoServerStarter implements EnvironmentPostProcessor {

    private static EchoServer server;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        synchronized (EchoServerStarter.class) {
            if (server == null) {
                server = EchoServer.onFreePort();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "echo-server-stop"));
            }
        }
        environment.getPropertySources().addLast(new MapPropertySource("embeddedEchoServer",
                Map.of("quickstart.echo.port", server.port())));
    }

    /** The embedded server, for tests that break it on purpose. */
    public static EchoServer server() {
        return server;
    }
}
