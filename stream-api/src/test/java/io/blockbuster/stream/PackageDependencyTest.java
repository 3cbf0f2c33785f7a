package io.blockbuster.stream;

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

/** Keeps the layout true: only io.blockbuster.stream.binding may import websocket transport types. */
class PackageDependencyTest {
    private static final Path MAIN = Path.of("src/main/java/io/blockbuster/stream");
    private static final Pattern WEBSOCKET_REFERENCE = Pattern.compile("\\bio\\.blockbuster\\.websocket\\b");

    @Test
    void onlyTheBindingPackageReferencesWebsocketCore() throws IOException {
        assertThat(MAIN).isDirectory();
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                if (MAIN.relativize(file).startsWith("binding")) {
                    continue;
                }
                scanned++;
                String source = Files.readString(file);
                Matcher m = WEBSOCKET_REFERENCE.matcher(source);
                if (m.find()) {
                    offenders.add(MAIN.relativize(file).toString());
                }
            }
        }
        assertThat(scanned).as("files scanned").isGreaterThan(20);
        assertThat(offenders).as("files outside .binding that mention io.blockbuster.websocket").isEmpty();
    }
}
