package io.blockbuster.stream.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a script by its SHA-1 ({@code EVALSHA}: the body is sent only once per Redis run), falling back
 * to {@code EVAL}, which also caches it again, when Redis does not know it (after a restart).
 */
final class ScriptRunner {
    private final Map<String, String> digests = new ConcurrentHashMap<>();

    <T> CompletionStage<T> run(RedisAsyncCommands<String, byte[]> c, String script, ScriptOutputType type,
                               String[] keys, byte[]... args) {
        String sha = digests.computeIfAbsent(script, ScriptRunner::sha1);
        CompletableFuture<T> result = new CompletableFuture<>();
        c.<T>evalsha(sha, type, keys, args).whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else if (error instanceof RedisNoScriptException || String.valueOf(error.getMessage()).startsWith("NOSCRIPT")) {
                c.<T>eval(script, type, keys, args).whenComplete((v, e) -> {
                    if (e == null) {
                        result.complete(v);
                    } else {
                        result.completeExceptionally(e);
                    }
                });
            } else {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    private static String sha1(String script) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
