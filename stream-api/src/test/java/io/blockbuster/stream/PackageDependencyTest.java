package io.blockbuster.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layout true by reading the sources' references (comments and literals left out): which package of
 * this module may use which. From the bottom up: {@code json} uses only the JDK; {@code protocol}
 * only {@code json}; the hub's API package and {@code internal} use each other's types but the
 * machinery never names {@code StreamHub}; {@code client} speaks {@code protocol} and never reaches
 * the machinery; only {@code binding} names websocket-core, in the main tree and in the tests.
 */
class PackageDependencyTest {
    private static final Path MAIN = Path.of("src/main/java/io/blockbuster/stream");
    private static final Path TEST = Path.of("src/test/java/io/blockbuster/stream");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.blockbuster\\.(websocket|stream(?:\\.([a-z]\\w*))?)\\b(?:\\.([A-Z]\\w*))?");
    /** Char and string literals and comments, matched left to right so that none hides in another. */
    private static final Pattern NOT_CODE = Pattern.compile(
            "'(?:\\\\.|[^'\\\\])+'|\"(?:\\\\.|[^\"\\\\\\n])*\"|/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    /** What each package of the module may reference, by the short names used below. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "json", Set.of("json"),
            "protocol", Set.of("protocol", "json"),
            "api", Set.of("api", "internal", "json"),
            "internal", Set.of("internal", "api", "protocol", "json"),
            "client", Set.of("client", "api", "protocol", "json"),
            "binding", Set.of("binding", "api", "client", "websocket"));

    @Test
    void eachPackageReferencesOnlyTheLayersItMay() throws IOException {
        Map<String, Set<String>> offences = new TreeMap<>();
        List<Path> files = javaFiles(MAIN);
        assertThat(files).as("files scanned").hasSizeGreaterThan(40);
        for (Path file : files) {
            String from = layer(MAIN.relativize(file));
            assertThat(ALLOWED).as("a rule for the package of " + file).containsKey(from);
            for (String[] ref : references(file)) {
                if (!ALLOWED.get(from).contains(ref[0])) {
                    offences.computeIfAbsent(MAIN.relativize(file).toString(), k -> new TreeSet<>()).add(ref[0]);
                }
            }
        }
        assertThat(offences).as("files referencing a package their layer may not use").isEmpty();
    }

    @Test
    void theMachineryNeverCallsBackIntoTheHubFacade() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : javaFiles(MAIN.resolve("internal"))) {
            for (String[] ref : references(file)) {
                if (ref[0].equals("api") && "StreamHub".equals(ref[1])) {
                    offenders.add(file.getFileName().toString());
                }
            }
        }
        assertThat(offenders).as("internal files that name StreamHub").isEmpty();
    }

    @Test
    void onlyTheBindingTestsUseWebsocketCore() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<Path> files = javaFiles(TEST);
        assertThat(files).as("test files scanned").hasSizeGreaterThan(10);
        for (Path file : files) {
            Path relative = TEST.relativize(file);
            if (relative.startsWith("binding")) {
                continue;
            }
            for (String[] ref : references(file)) {
                if (ref[0].equals("websocket")) {
                    offenders.add(relative.toString());
                }
            }
        }
        assertThat(offenders).as("hub-core and client tests that mention io.blockbuster.websocket").isEmpty();
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        assertThat(root).isDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    /** "api" for the top package, else the sub-package's name. */
    private static String layer(Path relative) {
        return relative.getNameCount() == 1 ? "api" : relative.getName(0).toString();
    }

    /** Each reference as {layer, simple type name or null}. */
    private static List<String[]> references(Path file) throws IOException {
        String code = NOT_CODE.matcher(Files.readString(file)).replaceAll(" ");
        List<String[]> out = new ArrayList<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            String layer = m.group(1).equals("websocket") ? "websocket" : m.group(2) == null ? "api" : m.group(2);
            out.add(new String[] {layer, m.group(3)});
        }
        return out;
    }
}
