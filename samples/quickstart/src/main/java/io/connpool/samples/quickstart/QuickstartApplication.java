package io.connpool.samples.quickstart;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * connpool's quick start: a web app whose two pools (one exclusive, one shared) talk to a TCP echo
 * server the app starts itself ({@link EchoServerStarter}), so it runs on a machine with nothing
 * installed. Try {@code /echo?text=hi}, {@code /actuator/pools}, {@code /actuator/health}.
 */
@SpringBootApplication
public class QuickstartApplication {

    public static void main(String[] args) {
        SpringApplication.run(QuickstartApplication.class, args);
    }
}
