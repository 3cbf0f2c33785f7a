package io.blockbuster.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A TLS handshake's expensive part (SSLEngine delegated tasks: choosing the key, signing, the key
 * exchange) runs off the event loop: a handshake whose key manager is held up must not stall the
 * connections already open on the same (single) loop.
 */
class TlsHandshakeOffLoopTest {
    private WebSocketServer server;
    private WebSocketClient client;
    private WebSocketClient newcomer;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (newcomer != null) {
            newcomer.close();
        }
        if (server != null) {
            server.shutdown(java.time.Duration.ofSeconds(5));
        }
    }

    @Test
    void aStalledHandshakeDoesNotStallTheLoopsOtherConnections() throws Exception {
        GatedKeyManager keys = new GatedKeyManager();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(Tls.keyStore(), Tls.PASSWORD);
        keys.delegate = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(new javax.net.ssl.KeyManager[] {keys}, null, null);
        server = WebSocketServer.builder().bindAddress(InetAddress.getLoopbackAddress()).eventLoops(1).tls(serverTls)
                .handler("/echo", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket ws, String text) {
                        ws.sendText(text);
                    }
                }).build();
        server.start();
        client = WebSocketClient.builder().tls(Tls.client()).eventLoops(2).build();
        URI uri = URI.create("wss://127.0.0.1:" + server.port() + "/echo");
        Recorder open = new Recorder();
        WebSocket established = client.connect(uri, open).get(30, TimeUnit.SECONDS);
        assertThat(open.next()).isEqualTo("open");

        keys.gate = new CountDownLatch(1); // the next handshake's key choice waits
        newcomer = WebSocketClient.builder().tls(Tls.client()).build(); // a new context: a full handshake, no resumption
        CompletableFuture<WebSocket> stalled = newcomer.connect(uri, new Recorder());
        assertThat(keys.entered.await(30, TimeUnit.SECONDS)).as("the second handshake reached the key manager").isTrue();
        try {
            established.sendText("still served");
            assertThat(open.next()).as("echo on the loop while a handshake is held up").isEqualTo("text still served");
            assertThat(keys.thread).startsWith("blockbuster-tls-");
        } finally {
            keys.gate.countDown();
        }
        assertThat(stalled.get(30, TimeUnit.SECONDS).isOpen()).as("the held-up handshake completes").isTrue();
    }

    /** A key manager that records its thread and waits at the gate when choosing the server's key. */
    private static final class GatedKeyManager extends X509ExtendedKeyManager {
        volatile X509ExtendedKeyManager delegate;
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);
        volatile String thread;

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            if (gate.getCount() > 0) {
                thread = Thread.currentThread().getName();
                entered.countDown();
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }
}
