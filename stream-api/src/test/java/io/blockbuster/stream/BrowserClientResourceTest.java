package io.blockbuster.stream;

import io.blockbuster.stream.json.Json;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser client ships in the jar under the webjar convention,
 * {@code META-INF/resources/webjars/blockbuster-client/<npm version>/}, byte for byte as in its npm
 * folder, so a host serves exactly what {@code npm pack} would publish. (Its behaviour is tested in
 * headless Chromium by the examples module.)
 */
class BrowserClientResourceTest {

    private static final String WEBJAR = "META-INF/resources/webjars/blockbuster-client/";
    private static final Path SOURCE = Path.of("src/main/js/blockbuster-client");

    @Test
    void everyFileOfTheNpmFolderIsInTheWebjarDirectoryNamedForThePackageVersion() throws Exception {
        Map<?, ?> packageJson = (Map<?, ?>) Json.parse(Files.readString(SOURCE.resolve("package.json")));
        String version = (String) packageJson.get("version");
        URL root = getClass().getClassLoader().getResource(WEBJAR);
        assertThat(root).as(WEBJAR + " on the class path").isNotNull();
        try (Stream<Path> versions = Files.list(directory(root))) {
            assertThat(versions.map(p -> p.getFileName().toString())).containsExactly(version);
        }
        List<String> files = List.of("package.json", "README.md", "blockbuster-client.js", "blockbuster-client.d.ts",
                "react.js", "react.d.ts");
        assertThat(((List<?>) packageJson.get("files")).stream().map(Object::toString))
                .containsExactlyInAnyOrderElementsOf(files.subList(1, files.size()));
        for (String file : files) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(WEBJAR + version + "/" + file)) {
                assertThat(in).as(file).isNotNull();
                assertThat(in.readAllBytes()).as(file).isEqualTo(Files.readAllBytes(SOURCE.resolve(file)));
            }
        }
    }

    private static Path directory(URL url) throws URISyntaxException {
        return Path.of(url.toURI()); // target/classes while the module's own tests run
    }
}
