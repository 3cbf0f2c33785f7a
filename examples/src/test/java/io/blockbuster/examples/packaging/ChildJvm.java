package io.blockbuster.examples.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Small Java programs compiled at test time against the library jars and run in a child JVM, the
 * way a user's program would run them: on the class path or on the module path.
 */
final class ChildJvm implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String EXITED = "\u0000exited";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child is gone; EXITED tells the waiters
            }
            lines.add(EXITED);
        }, "child-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java <args>} with stderr merged into stdout. */
    static ChildJvm start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JAVA.toString());
        command.addAll(args);
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * Returns the first line {@code wanted} accepts, or null when the child ended first; fails
     * after {@link #WAIT}, showing everything the child printed.
     */
    String awaitLine(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("child printed no such line within " + WAIT + ":\n" + output);
            }
            if (line.equals(EXITED)) {
                return null;
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Waits for the child to end by itself, and for all it printed to be read; returns its exit code. */
    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("child ended; it printed:\n" + output).isTrue();
        reader.join(WAIT.toMillis()); // the pipe's last lines may still be on their way to output
        return process.exitValue();
    }

    /** SIGTERM (shutdown hooks run), then waits for the end. */
    void terminate() throws InterruptedException {
        process.destroy();
        awaitExit();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /**
     * Compiles {@code sources} (file path -> text) under {@code dir}: sources into {@code dir/src},
     * classes into {@code dir/classes}, which is returned.
     */
    static Path compile(Path dir, Map<String, String> sources, List<String> options) throws IOException {
        Path classes = dir.resolve("classes");
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("-d", classes.toString()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = dir.resolve("src").resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
        int status = javac.run(null, messages, messages, args.toArray(String[]::new));
        assertThat(status).as("javac " + args + "\n" + messages + "\n" + String.join("\n", sources.values())).isZero();
        return classes;
    }

    /**
     * The jar that {@code type} was loaded from. In a build that ran {@code package} it is the
     * module's jar itself; when the tests run on {@code target/classes}, that directory is jarred
     * into {@code scratch} with the JDK's jar tool, so what the child loads is always a jar.
     */
    static Path jarOf(Class<?> type, Path scratch) throws IOException {
        Path location;
        try {
            location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isRegularFile(location)) {
            return location;
        }
        Path jar = scratch.resolve(type.getModule().getName() + "-" + type.getSimpleName() + ".jar");
        java.util.spi.ToolProvider tool = java.util.spi.ToolProvider.findFirst("jar").orElseThrow();
        StringWriter err = new StringWriter();
        int status = tool.run(new PrintWriter(System.out), new PrintWriter(err),
                "--create", "--file", jar.toString(), "-C", location.toString(), ".");
        assertThat(status).as("jar: " + err).isZero();
        return jar;
    }

    /** Every package the modules in {@code jars} export: what a user's wildcard imports may name. */
    static List<String> exportedPackages(Path... jars) {
        TreeSet<String> packages = new TreeSet<>();
        ModuleFinder.of(jars).findAll().forEach(m -> {
            for (ModuleDescriptor.Exports e : m.descriptor().exports()) {
                if (!e.isQualified()) {
                    packages.add(e.source());
                }
            }
        });
        return List.copyOf(packages);
    }
}
