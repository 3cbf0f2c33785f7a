package io.blockbuster.stream.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the engine seam honest: the Redis engine sees the hub only through the exported
 * {@code io.blockbuster.stream} API (StreamEngine and its types), never the hub's internals, the
 * binding or the transport.
 */
class PackageDependencyTest {
    private static final Path MAIN = Path.of("src/main/java/io/blockbuster/stream/redis");
    private static final Pattern BLOCKBUSTER_REFERENCE = Pattern.compile("\\bio\\.blockbuster\\.[a-z.]*[a-z]");

    @Test
    void theRedisEngineUsesOnlyTheHubsPublicPackage() throws IOException {
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                scanned++;
                Matcher m = BLOCKBUSTER_REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    String pkg = m.group();
                    if (!pkg.equals("io.blockbuster.stream") && !pkg.equals("io.blockbuster.stream.redis")) {
                        offenders.add(file.getFileName() + ": " + pkg);
                    }
                }
            }
        }
        assertThat(scanned).as("files scanned").isGreaterThanOrEqualTo(5);
        assertThat(offenders).isEmpty();
    }
}
