package io.blockbuster.websocket;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The internal package stays internal: not exported, and never seen in a public signature. */
class ApiSurfaceTest {
    private static final String INTERNAL = "io.blockbuster.websocket.internal";

    @Test
    void moduleDoesNotExportTheInternalPackage() throws Exception {
        String moduleInfo = Files.readString(Path.of("src/main/java/module-info.java"));
        assertThat(moduleInfo).contains("exports io.blockbuster.websocket;").doesNotContain("exports " + INTERNAL);
    }

    @Test
    void noPublicSignatureMentionsAnInternalType() {
        Class<?>[] api = {WebSocketServer.class, WebSocketServer.Builder.class, WebSocketClient.class,
            WebSocketClient.Builder.class, WebSocket.class, WebSocketListener.class, CloseStatus.class,
            PreparedMessage.class, WebSocketLimits.class, WebSocketHandler.class, HandshakeDecision.class,
            HttpHandler.class, HttpReply.class};
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : api) {
            for (Method m : c.getDeclaredMethods()) {
                if (isVisible(m.getModifiers())) {
                    check(leaks, c, m.getName(), m.getGenericReturnType());
                    for (Type t : m.getGenericParameterTypes()) {
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

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> leaks, Class<?> owner, String member, Type type) {
        if (type.getTypeName().contains(INTERNAL)) {
            leaks.add(owner.getSimpleName() + "." + member + ": " + type.getTypeName());
        }
    }
}
