package io.blockbuster.websocket.fuzz;

import static io.blockbuster.websocket.fuzz.FramePipeline.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.HttpRequest;
import io.blockbuster.websocket.protocol.HttpRequestParser;
import io.blockbuster.websocket.protocol.HttpResponse;
import io.blockbuster.websocket.protocol.HttpResponseParser;
import io.blockbuster.websocket.protocol.ServerHandshake;
import io.blockbuster.websocket.protocol.UpgradeRequest;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the server handshake: HttpRequestParser, ServerHandshake.validate, negotiation and the
 * rendered responses. Input: byte 0 seeds the split into reads, the rest is what a client sent.
 * Invariants: the only failures are HandshakeExceptions with 400 or 431 (parsing) and 400 or 426
 * (validation); the result does not depend on the split and the bytes after the head are left
 * unconsumed; a head never exceeds the bound; a parsed request rendered again parses to the same
 * request; a valid upgrade gets a 101 that our client-side parser reads back with the right
 * Sec-WebSocket-Accept, an offered subprotocol and extension responses that parse; a rejection
 * renders a response with its status.
 */
class ServerHandshakeFuzzTest {
    private static final int MAX_HEAD = 1024;
    private static final PerMessageDeflate DEFLATE = PerMessageDeflate.withDefaults();

    @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
    void requestsParseTheSameInAnySplitAndValidUpgradesGetAWellFormed101(byte[] input) {
        if (input.length < 1) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        HttpRequest[] parsed = new HttpRequest[1];
        HeadFeeder.Result whole = HeadFeeder.feed(new HttpRequestParser(MAX_HEAD)::parse,
                r -> { parsed[0] = r; return describe(r); }, bytes, FramePipeline.chunkPlan(0, bytes.length));
        HeadFeeder.Result split = HeadFeeder.feed(new HttpRequestParser(MAX_HEAD)::parse,
                ServerHandshakeFuzzTest::describe, bytes, FramePipeline.chunkPlan(input[0] & 0xFF, bytes.length));
        check(whole.equals(split), "same result however the request is split: " + whole + " / " + split);
        if (whole.status() >= 0) {
            check(whole.status() == 400 || whole.status() == 431, "parser fails with 400 or 431, got " + whole.status());
            checkRejection(whole.status());
            return;
        }
        if (whole.head() == null) {
            check(bytes.length <= MAX_HEAD, "an unfinished head is never longer than the bound");
            return;
        }
        check(bytes.length - whole.leftOver() <= MAX_HEAD, "a parsed head is within the bound");
        HttpRequest request = parsed[0];
        // Render again and parse: the same request (decode, encode, decode is stable).
        byte[] again = HeadFeeder.latin1(request.method() + " " + request.target() + " " + request.version() + "\r\n"
                + HeadFeeder.fields(request.headers()) + "\r\n");
        HeadFeeder.Result reparsed = HeadFeeder.feed(new HttpRequestParser(Integer.MAX_VALUE)::parse,
                ServerHandshakeFuzzTest::describe, again, FramePipeline.chunkPlan(0, again.length));
        check(whole.head().equals(reparsed.head()) && reparsed.leftOver() == 0, "a rendered request parses back");

        UpgradeRequest upgrade;
        try {
            upgrade = ServerHandshake.validate(request);
        } catch (HandshakeException e) {
            check(e.status() == 400 || e.status() == 426, "validation fails with 400 or 426, got " + e.status());
            checkRejection(e.status());
            return;
        }
        List<Extension> extensions;
        try {
            extensions = ServerHandshake.negotiate(upgrade.extensionOffers(), List.of(DEFLATE));
        } catch (HandshakeException e) {
            check(e.status() >= 400 && e.status() < 500, "negotiation fails with a 4xx, got " + e.status());
            return;
        }
        try {
            String subprotocol = upgrade.subprotocols().isEmpty() ? null : upgrade.subprotocols().get(0);
            ByteBuffer accept = ServerHandshake.accept(upgrade, subprotocol, extensions);
            HttpResponse response = new HttpResponseParser(Integer.MAX_VALUE).parse(accept);
            check(response != null && !accept.hasRemaining(), "the 101 is one whole head");
            check(response.status() == 101, "status 101");
            check(response.headers().hasToken("Upgrade", "websocket"), "Upgrade: websocket");
            check(response.headers().hasToken("Connection", "Upgrade"), "Connection: Upgrade");
            check(ServerHandshake.acceptKey(upgrade.key()).equals(response.headers().first("Sec-WebSocket-Accept")),
                    "Sec-WebSocket-Accept matches the key");
            check(response.headers().all("Sec-WebSocket-Accept").size() == 1, "one Sec-WebSocket-Accept");
            String chosen = response.headers().first("Sec-WebSocket-Protocol");
            check(subprotocol == null ? chosen == null : subprotocol.equals(chosen), "the chosen subprotocol, once");
            List<String> answered = response.headers().all("Sec-WebSocket-Extensions");
            List<ExtensionOffer> answers = answered.isEmpty() ? List.of() : ExtensionOffer.parse(answered);
            check(answers.size() == extensions.size(), "one extension answer per negotiated extension");
            for (int i = 0; i < answers.size(); i++) {
                check(answers.get(i).equals(extensions.get(i).response()), "extension answers parse back");
            }
        } finally {
            extensions.forEach(Extension::close);
        }
    }

    private static void checkRejection(int status) {
        ByteBuffer reject = ServerHandshake.reject(status, "refused");
        HttpResponse response = new HttpResponseParser(Integer.MAX_VALUE).parse(reject);
        check(response != null && response.status() == status, "a rejection parses with its status");
        check(response.headers().hasToken("Connection", "close"), "a rejection closes the connection");
    }

    private static String describe(HttpRequest r) {
        return r.method() + " " + r.target() + " " + r.version() + "\n" + r.headers();
    }
}
