package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The protocol package is sans-IO: it imports only java.* (and no sockets, threads or clocks). */
class PackageDependencyTest {
    private static final Path SOURCES = Path.of("src/main/java/io/blockbuster/websocket/protocol");

    @Test
    void protocolPackageImportsOnlyTheJdkAndNoIo() throws IOException {
        assertThat(SOURCES).isDirectory();
        List<String> offending;
        try (Stream<Path> files = Files.list(SOURCES)) {
            offending = files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(PackageDependencyTest::lines)
                    .filter(l -> l.startsWith("import "))
                    .filter(l -> !l.startsWith("import java.") && !l.startsWith("import static java.")
                            || l.startsWith("import java.net.Socket") || l.startsWith("import java.nio.channels")
                            || l.startsWith("import java.util.concurrent") || l.startsWith("import java.time"))
                    .collect(Collectors.toList());
        }
        assertThat(offending).isEmpty();
    }

    private static Stream<String> lines(Path p) {
        try {
            return Files.readAllLines(p).stream().map(String::trim);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
