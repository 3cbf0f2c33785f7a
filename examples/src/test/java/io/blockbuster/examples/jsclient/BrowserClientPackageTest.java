package io.blockbuster.examples.jsclient;

import io.blockbuster.stream.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser client as npm sees it, with the tools from {@code src/test/js} ({@code npm ci} there
 * installs them; {@code .ci/run} does): its declarations type-check a usage file with
 * {@code tsc --noEmit}, {@code npm pack} packs exactly the package's files, and the committed React
 * bundle of the example page is what esbuild makes of the locked React.
 */
class BrowserClientPackageTest {

    private static final Path TOOLS = Path.of("src/test/js");
    private static final Path PACKAGE = Path.of("../stream-api/src/main/js/blockbuster-client");
    private static final Path REACT_BUNDLE = Path.of("src/main/resources/dashboard/react/vendor/react.js");

    @Test
    void declarationsTypeCheckTheUsageFile() throws Exception {
        run(TOOLS, tool("tsc"), "--noEmit", "-p", ".");
    }

    @Test
    void npmPacksThePackageWithItsModulesAndTypes() throws Exception {
        String json = run(PACKAGE, "npm", "pack", "--dry-run", "--json", "--ignore-scripts");
        Map<?, ?> packed = (Map<?, ?>) ((List<?>) Json.parse(json.substring(json.indexOf('[')))).get(0);
        assertThat(packed.get("name")).isEqualTo("blockbuster-client");
        List<Object> files = new ArrayList<>();
        for (Object f : (List<?>) packed.get("files")) {
            files.add(((Map<?, ?>) f).get("path"));
        }
        assertThat(files).containsExactlyInAnyOrder("package.json", "README.md", "blockbuster-client.js",
                "blockbuster-client.d.ts", "react.js", "react.d.ts");
    }

    @Test
    void theCommittedReactBundleIsWhatEsbuildMakesOfTheLockedReact() throws Exception {
        Path fresh = Files.createTempFile("react-bundle-", ".js");
        try {
            run(TOOLS, tool("esbuild"), "react-vendor.js", "--bundle", "--format=esm",
                    "--minify", "--legal-comments=inline", "--define:process.env.NODE_ENV=\"production\"",
                    "--outfile=" + fresh.toAbsolutePath());
            assertThat(Files.readAllBytes(fresh)).as("run npm run vendor-react in src/test/js and commit the result")
                    .isEqualTo(Files.readAllBytes(REACT_BUNDLE));
        } finally {
            Files.deleteIfExists(fresh);
        }
    }

    /** An npm-installed command of the tools (a script or, for esbuild after its postinstall, a binary). */
    private static String tool(String name) {
        return TOOLS.resolve("node_modules/.bin").resolve(name).toAbsolutePath().toString();
    }

    /** Runs a command in {@code dir}, failing with its output unless it exits 0; returns the output. */
    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        assertThat(TOOLS.resolve("node_modules")).as("the npm tools: run `npm ci` in examples/src/test/js"
                + " (.ci/run does)").isDirectory();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as("%s in %s said:%n%s", String.join(" ", command), dir, output).isZero();
        return output;
    }
}
