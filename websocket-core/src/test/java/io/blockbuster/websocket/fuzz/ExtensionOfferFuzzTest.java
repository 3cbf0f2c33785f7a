package io.blockbuster.websocket.fuzz;

import static io.blockbuster.websocket.fuzz.FramePipeline.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.blockbuster.websocket.deflate.PerMessageDeflate;
import io.blockbuster.websocket.deflate.PerMessageDeflateExtension;
import io.blockbuster.websocket.protocol.ExtensionOffer;
import io.blockbuster.websocket.protocol.HandshakeException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the Sec-WebSocket-Extensions parser and permessage-deflate's reading of parameters.
 * Input: header values separated by line feeds. Invariants: the only failure is a
 * HandshakeException with status 400; parsed offers rendered with toHeaderValue parse back to
 * the same offers, joined into one header or each on its own; permessage-deflate, server side,
 * either declines an offer (null) or answers with a response that parses back and that our own
 * client accepts as an answer; client side it accepts a response or refuses it with a 4xx
 * HandshakeException, nothing else.
 */
class ExtensionOfferFuzzTest {
    private static final PerMessageDeflate SERVER = PerMessageDeflate.withDefaults();
    private static final PerMessageDeflate CLIENT = PerMessageDeflate.withDefaults();

    @FuzzTest(maxDuration = FuzzBudget.PER_TARGET)
    void offersRenderAndParseBackAndDeflateNeverThrowsOtherwise(byte[] input) {
        List<String> values = List.of(new String(input, StandardCharsets.ISO_8859_1).split("\n", -1));
        List<ExtensionOffer> offers;
        try {
            offers = ExtensionOffer.parse(values);
        } catch (HandshakeException e) {
            check(e.status() == 400, "a malformed header is 400, got " + e.status());
            return;
        }
        List<String> rendered = new ArrayList<>();
        for (ExtensionOffer o : offers) {
            rendered.add(o.toHeaderValue());
        }
        check(ExtensionOffer.parse(rendered).equals(offers), "each rendered offer parses back");
        check(ExtensionOffer.parse(List.of(String.join(", ", rendered))).equals(offers) || offers.isEmpty(),
                "offers joined in one header parse back");
        for (ExtensionOffer offer : offers) {
            if (!offer.name().equalsIgnoreCase(PerMessageDeflate.NAME)) {
                continue;
            }
            PerMessageDeflateExtension server;
            try {
                server = SERVER.acceptOffer(offer);
            } catch (HandshakeException e) {
                check(e.status() >= 400 && e.status() < 500, "a refused offer is a 4xx");
                continue;
            }
            if (server != null) {
                try {
                    List<ExtensionOffer> back = ExtensionOffer.parse(List.of(server.response().toHeaderValue()));
                    check(back.equals(List.of(server.response())), "the answer parses back");
                    // Our client offers a bare client_max_window_bits and no server limit, so it
                    // must take every answer our server gives.
                    CLIENT.acceptResponse(server.response()).close();
                } finally {
                    server.close();
                }
            }
            try {
                PerMessageDeflateExtension client = CLIENT.acceptResponse(offer);
                check(client != null, "a client either accepts or throws");
                client.close();
            } catch (HandshakeException e) {
                check(e.status() >= 400 && e.status() < 500 || e.status() == 0 || e.status() == 101,
                        "a refused answer is a HandshakeException");
            }
        }
    }
}
