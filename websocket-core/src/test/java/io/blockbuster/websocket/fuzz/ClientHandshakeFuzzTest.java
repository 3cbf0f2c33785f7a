package io.blockbuster.websocket.fuzz;

import static io.blockbuster.websocket.fuzz.FramePipeline.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.protocol.ClientHandshake;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.HttpResponse;
import io.blockbuster.websocket.protocol.HttpResponseParser;
import io.blockbuster.websocket.protocol.ServerHandshake;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fuzzes the client side of the handshake: HttpResponseParser and ClientHandshake.validate.
 * Input: byte 0 seeds the split into reads, the rest is what the server answered; the text
 * {@code {ACCEPT}} in it is replaced by the right Sec-WebSocket-Accept so the fuzzer reaches the
 * checks past it. Invariants: parse failures are HandshakeExceptions (status 0, there being no
 * valid status), validation failures carry the response's status; the result does not depend on
 * the split and bytes after the head stay unconsumed; a parsed response rendered again parses to
 * the same response; an accepted response is a 101 with the exact accept value, a subprotocol
 * we offered (or none) and only extensions we offered.
 */
class ClientHandshakeFuzzTest {
    private static final int MAX_HEAD = 1024;
    private static final PerMessageDeflate DEFLATE = PerMessageDeflate.withDefaults();

    @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
    void responsesParseTheSameInAnySplitAndOnlyAMatching101IsAccepted(byte[] input) {
        if (input.length < 1) {
            return;
        }
        ClientHandshake handshake = new ClientHandshake(URI.create("ws://localhost:9001/chat"), Map.of(),
                List.of("chat", "superchat"), List.of(DEFLATE), new Random(0));
        String accept = ServerHandshake.acceptKey(handshake.key());
        String text = new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1).replace("{ACCEPT}", accept);
        byte[] bytes = HeadFeeder.latin1(text);
        HttpResponse[] parsed = new HttpResponse[1];
        HeadFeeder.Result whole = HeadFeeder.feed(new HttpResponseParser(MAX_HEAD)::parse,
                r -> { parsed[0] = r; return describe(r); }, bytes, FramePipeline.chunkPlan(0, bytes.length));
        HeadFeeder.Result split = HeadFeeder.feed(new HttpResponseParser(MAX_HEAD)::parse,
                ClientHandshakeFuzzTest::describe, bytes, FramePipeline.chunkPlan(input[0] & 0xFF, bytes.length));
        check(whole.equals(split), "same result however the response is split: " + whole + " / " + split);
        if (whole.status() >= 0) {
            check(whole.status() == 0, "a malformed response fails with status 0, got " + whole.status());
            return;
        }
        if (whole.head() == null) {
            check(bytes.length <= MAX_HEAD, "an unfinished head is never longer than the bound");
            return;
        }
        check(bytes.length - whole.leftOver() <= MAX_HEAD, "a parsed head is within the bound");
        HttpResponse response = parsed[0];
        check(response.status() >= 100 && response.status() <= 999, "a three-digit status");
        byte[] again = HeadFeeder.latin1("HTTP/1.1 " + response.status() + " " + response.reason() + "\r\n"
                + HeadFeeder.fields(response.headers()) + "\r\n");
        HeadFeeder.Result reparsed = HeadFeeder.feed(new HttpResponseParser(Integer.MAX_VALUE)::parse,
                ClientHandshakeFuzzTest::describe, again, FramePipeline.chunkPlan(0, again.length));
        check(whole.head().equals(reparsed.head()) && reparsed.leftOver() == 0, "a rendered response parses back");

        ClientHandshake.Result result;
        try {
            result = handshake.validate(response);
        } catch (HandshakeException e) {
            check(e.status() == response.status(), "a refusal carries the response's status");
            return;
        }
        try {
            check(response.status() == 101, "only a 101 is accepted");
            check(accept.equals(response.headers().first("Sec-WebSocket-Accept"))
                    && response.headers().all("Sec-WebSocket-Accept").size() == 1, "only the exact accept value");
            check(result.subprotocol() == null || List.of("chat", "superchat").contains(result.subprotocol()),
                    "only an offered subprotocol");
            check(result.extensions().size() <= 1, "at most the one extension offered");
            for (Extension e : result.extensions()) {
                check(e.name().equals(PerMessageDeflate.NAME), "only an offered extension");
            }
        } finally {
            result.extensions().forEach(Extension::close);
        }
    }

    private static String describe(HttpResponse r) {
        return r.status() + " " + r.reason() + "\n" + r.headers();
    }
}
