package io.blockbuster.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library never hands work to the common ForkJoinPool: it may have one worker (2 cores on JDK
 * 25), it is shared with the host, and blocking work queued there can wait on itself. Threads the
 * library needs are its own, named, and in the thread-model table of docs/operations.md.
 */
class NoCommonPoolTest {
    private static final List<Path> MAIN = List.of(Path.of("src/main/java"), Path.of("../websocket-core/src/main/java"));
    private static final Pattern COMMON_POOL = Pattern.compile(
            "\\b(runAsync|supplyAsync|then\\w*Async|handleAsync|whenCompleteAsync|exceptionallyAsync|commonPool|parallelStream)\\s*\\(");

    @Test
    void mainCodeOfBothLibraryModulesNeverUsesTheCommonPool() throws IOException {
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        for (Path root : MAIN) {
            assertThat(root).isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                    scanned++;
                    if (COMMON_POOL.matcher(Files.readString(file)).find()) {
                        offenders.add(file.toString());
                    }
                }
            }
        }
        assertThat(scanned).as("files scanned").isGreaterThan(80);
        assertThat(offenders).as("main sources that queue work on the common pool").isEmpty();
    }
}
