package io.blockbuster.websocket;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a host touches stays small: the internal package is not exported, and no public signature
 * of the host package names an internal type or a {@code protocol} type (a host serves, connects
 * and decides about requests without importing the sans-IO layer, which is there for people who
 * write their own transport).
 */
class ApiSurfaceTest {
    private static final String INTERNAL = "io.blockbuster.websocket.internal.";
    private static final String PROTOCOL = "io.blockbuster.websocket.protocol.";
    private static final Path HOST_SOURCES = Path.of("src/main/java/io/blockbuster/websocket");

    @Test
    void moduleDoesNotExportTheInternalPackage() throws Exception {
        String moduleInfo = Files.readString(Path.of("src/main/java/module-info.java"));
        assertThat(moduleInfo).contains("exports io.blockbuster.websocket;").doesNotContain("exports io.blockbuster.websocket.internal");
    }

    @Test
    void noHostSignatureNamesAnInternalOrProtocolType() throws Exception {
        List<Class<?>> api = hostTypes();
        assertThat(api).contains(WebSocketServer.class, WebSocketServer.Builder.class, WebSocket.class, Handshake.class);
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : api) {
            if (c.getGenericSuperclass() != null) {
                check(leaks, c, "extends", c.getGenericSuperclass());
            }
            for (Type t : c.getGenericInterfaces()) {
                check(leaks, c, "implements", t);
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    check(leaks, c, rc.getName(), rc.getGenericType());
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (isVisible(m.getModifiers())) {
                    check(leaks, c, m.getName(), m.getGenericReturnType());
                    for (Type t : m.getGenericParameterTypes()) {
                        check(leaks, c, m.getName(), t);
                    }
                    for (Type t : m.getGenericExceptionTypes()) {
                        check(leaks, c, m.getName(), t);
                    }
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (isVisible(k.getModifiers())) {
                    for (Type t : k.getGenericParameterTypes()) {
                        check(leaks, c, "<init>", t);
                    }
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (isVisible(f.getModifiers())) {
                    check(leaks, c, f.getName(), f.getGenericType());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    /**
     * Only the facades that run the transport reach into it (and the one class that hands the
     * transport a prepared message's frames); the host's value and callback types, which the
     * transport imports, import nothing of it back, so the two never import each other in a circle.
     */
    @Test
    void onlyTheFacadesImportTheInternalPackage() throws IOException {
        List<String> importers = new ArrayList<>();
        try (Stream<Path> s = Files.list(HOST_SOURCES)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (Files.readAllLines(p).stream().anyMatch(l -> l.startsWith("import " + INTERNAL))) {
                    importers.add(p.getFileName().toString());
                }
            }
        }
        assertThat(importers).containsExactlyInAnyOrder("WebSocketServer.java", "WebSocketClient.java",
                "WebSocketGroup.java", "PreparedMessageAccess.java");
    }

    /** Every public type of the host package and its public nested types, found from the sources. */
    private static List<Class<?>> hostTypes() throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(HOST_SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path p : files) {
            String name = p.getFileName().toString().replace(".java", "");
            if (name.equals("package-info")) {
                continue;
            }
            addPublic(types, Class.forName("io.blockbuster.websocket." + name));
        }
        return types;
    }

    private static void addPublic(List<Class<?>> types, Class<?> c) {
        if (!Modifier.isPublic(c.getModifiers())) {
            return;
        }
        types.add(c);
        for (Class<?> nested : c.getDeclaredClasses()) {
            addPublic(types, nested);
        }
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> leaks, Class<?> owner, String member, Type type) {
        String name = type.getTypeName();
        if (name.contains(INTERNAL) || name.contains(PROTOCOL)) {
            leaks.add(owner.getName().substring("io.blockbuster.websocket.".length()) + "." + member + ": " + name);
        }
    }
}
