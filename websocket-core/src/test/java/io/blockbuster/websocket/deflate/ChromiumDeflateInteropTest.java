package io.blockbuster.websocket.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.testsupport.Chromium;
import io.blockbuster.websocket.HttpReply;
import io.blockbuster.websocket.TestExtensions;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with a real browser: headless Chromium loads a page from our server, opens
 * WebSockets to three servers with different permessage-deflate settings, sends compressible
 * text and binary messages, checks the echoes, and reports what it saw over the same socket.
 * No driver and no dependency: the page reports back to the server, the test waits on futures.
 * Fails when no Chromium is installed ({@code .ci/install-test-tools.sh} installs Debian's).
 */
class ChromiumDeflateInteropTest {
    /** The page: runs every ws:// URL in {@code ?ws=} in turn and sends "RESULT {json}" on each. */
    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>deflate interop</title><pre id="out"></pre>
            <script>
            const urls = new URLSearchParams(location.search).getAll('ws');
            const row = i => JSON.stringify({seq: i, symbol: 'BLK' + (i % 7), price: 1000 + (i * 37) % 500,
                                              note: 'compressible text ✓ '.repeat(3)});
            function run(url) {
              return new Promise(done => {
                const ws = new WebSocket(url);
                ws.binaryType = 'arraybuffer';
                const sent = [];
                let same = 0, received = 0, binaryOk = false;
                const bin = new Uint8Array(40000).map((_, i) => i % 11);
                ws.onopen = () => {
                  for (let m = 0; m < 5; m++) {
                    const text = Array.from({length: 50 + m * 400}, (_, i) => row(i + m)).join('\\n');
                    sent.push(text);
                    ws.send(text);
                  }
                  sent.push('tiny');
                  ws.send('tiny');
                  ws.send(bin);
                };
                ws.onmessage = e => {
                  if (e.data instanceof ArrayBuffer) {
                    const got = new Uint8Array(e.data);
                    binaryOk = got.length === bin.length && got.every((v, i) => v === bin[i]);
                  } else if (e.data === sent[received]) {
                    same++;
                  }
                  if (!(e.data instanceof ArrayBuffer)) received++;
                  if (received === sent.length && (binaryOk || e.data instanceof ArrayBuffer)) {
                    ws.send('RESULT ' + JSON.stringify({extensions: ws.extensions, same, expected: sent.length, binaryOk}));
                    ws.close(1000, 'done');
                  }
                };
                ws.onclose = () => done();
                ws.onerror = () => done();
              });
            }
            (async () => { for (const u of urls) await run(u); document.getElementById('out').textContent = 'done'; })();
            </script>
            """;

    /** One server under test: echoes, and completes {@link #result} with the page's report. */
    private static final class Endpoint {
        final CountingDeflate deflate;
        final CompletableFuture<String> result = new CompletableFuture<>();
        final CompletableFuture<String> serverSideExtensions = new CompletableFuture<>();
        WebSocketServer server;

        Endpoint(PerMessageDeflate config) {
            this.deflate = new CountingDeflate(config);
        }

        void start() throws IOException {
            server = TestExtensions.with(WebSocketServer.builder(), deflate)
                    .bindAddress(InetAddress.getLoopbackAddress()).eventLoops(1)
                    .httpHandler(request -> new HttpReply(200, "text/html; charset=utf-8",
                            PAGE.getBytes(StandardCharsets.UTF_8)))
                    .handler("/echo", new WebSocketListener() {
                        @Override
                        public void onOpen(WebSocket ws) {
                            serverSideExtensions.complete(String.join(", ", ws.handshake().extensions()));
                        }

                        @Override
                        public void onText(WebSocket ws, String text) {
                            if (text.startsWith("RESULT ")) {
                                result.complete(text.substring(7));
                            } else {
                                ws.sendText(text);
                            }
                        }

                        @Override
                        public void onBinary(WebSocket ws, ByteBuffer data) {
                            ws.sendBinary(ByteBuffer.allocate(data.remaining()).put(data).flip());
                        }
                    })
                    .build();
            server.start();
        }

        String url() {
            return "ws://127.0.0.1:" + server.port() + "/echo";
        }
    }

    /** The page's report, or a failure carrying Chromium's output if it exits or stays silent. */
    private static String awaitReport(CompletableFuture<String> result, Chromium browser) throws Exception {
        try {
            CompletableFuture.anyOf(result, browser.onExit()).get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException timeout) {
            // fall through to the report below
        }
        if (!result.isDone()) {
            throw new AssertionError("no report from Chromium (alive=" + browser.isAlive() + "); its output:\n"
                    + browser.log());
        }
        return result.get();
    }

    @Test
    void chromiumNegotiatesPermessageDeflateAndRoundTripsCompressedMessages() throws Exception {
        List<Endpoint> endpoints = List.of(
                new Endpoint(PerMessageDeflate.withDefaults()),
                new Endpoint(PerMessageDeflate.builder().serverNoContextTakeover(false)
                        .clientNoContextTakeover(false).build()),
                // Chromium offers client_max_window_bits: ask it for a 2^10 window
                new Endpoint(PerMessageDeflate.builder().serverNoContextTakeover(false)
                        .clientNoContextTakeover(false).clientMaxWindowBits(10).build()));
        Chromium browser = null;
        try {
            for (Endpoint e : endpoints) {
                e.start();
            }
            StringBuilder page = new StringBuilder("http://127.0.0.1:" + endpoints.get(0).server.port() + "/?");
            for (Endpoint e : endpoints) {
                page.append("ws=").append(e.url()).append('&');
            }
            browser = Chromium.launch(page.toString());

            List<String> expectedByBrowser = List.of(
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                    "permessage-deflate",
                    "permessage-deflate; client_max_window_bits=10");
            for (int i = 0; i < endpoints.size(); i++) {
                Endpoint e = endpoints.get(i);
                String report = awaitReport(e.result, browser);
                assertThat(report).as("browser report").contains("\"extensions\":\"" + expectedByBrowser.get(i) + "\"")
                        .contains("\"same\":6,\"expected\":6").contains("\"binaryOk\":true");
                assertThat(e.serverSideExtensions.get(30, TimeUnit.SECONDS)).isEqualTo(expectedByBrowser.get(i));
                // 5 big texts and the binary went compressed each way; "tiny" and the report did not need to
                assertThat(e.deflate.compressedIn.get()).as("messages Chromium compressed").isGreaterThanOrEqualTo(6);
                assertThat(e.deflate.compressedOut.get()).as("echoes we compressed").isEqualTo(6);
            }
        } finally {
            if (browser != null) {
                browser.close();
            }
            for (Endpoint e : endpoints) {
                if (e.server != null) {
                    e.server.shutdown(Duration.ofSeconds(5));
                }
            }
        }
    }
}
