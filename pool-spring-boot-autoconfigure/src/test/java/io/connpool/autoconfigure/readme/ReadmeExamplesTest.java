package io.connpool.autoconfigure.readme;

import io.connpool.autoconfigure.ConnPoolAutoConfiguration;
import io.connpool.testkit.EchoServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps README.md's java examples true: this package holds them as written there ({@link EchoController},
 * {@link BackendClient}, {@link CoreExamples}), so they compile with the build; the Spring ones run here
 * against an echo server; and every block the README marks {@code <!-- compiled by ReadmeExamplesTest -->}
 * must still be found in this package's sources, so an edit to either side that is not made to the
 * other fails the build.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLES = Path.of("src", "test", "java", "io", "connpool", "autoconfigure", "readme");
    private static final Pattern MARKED_BLOCK = Pattern.compile("<!-- compiled by ReadmeExamplesTest -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyMarkedReadmeBlockIsInTheCompiledExamplesLineForLine() throws IOException {
        List<String> blocks = markedBlocks();
        assertThat(blocks).as("java blocks of README.md marked for compiling").hasSize(5);
        String examples = withoutIndentation(examples());
        for (String block : blocks) {
            assertThat(examples).as("the examples in %s hold README.md's block%n%s", EXAMPLES, block).contains(withoutIndentation(block));
        }
    }

    @Test
    void theSpringExamplesWorkAgainstAnEchoServer() {
        try (EchoServer server = EchoServer.onFreePort()) {
            String address = "127.0.0.1:" + server.port();
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class))
                    .withBean(EchoController.class).withBean(BackendClient.class)
                    .withPropertyValues("connpool.pools.echo.type=tcp", "connpool.pools.echo.address=" + address,
                            "connpool.pools.backends.type=tcp", "connpool.pools.backends.keyed=true")
                    .run(context -> {
                        assertThat(context.getBean(EchoController.class).echo("hello")).containsEntry("echo", "hello");
                        assertThat(context.getBean(BackendClient.class).ask(address, "keyed hello")).isEqualTo("keyed hello");
                    });
        }
    }

    private static String examples() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }

    private static List<String> markedBlocks() throws IOException {
        Matcher matcher = MARKED_BLOCK.matcher(Files.readString(README).replace("\r\n", "\n"));
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    /** The examples sit in methods in the file, at the margin in the README: only the indentation may differ. */
    private static String withoutIndentation(String code) {
        return code.replace("\r\n", "\n").lines().map(String::strip).collect(Collectors.joining("\n"));
    }
}
