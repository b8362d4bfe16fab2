package io.meshnode.cluster;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * A raw TLS connection to an event-bus port, blocking (call it off the event loop). It trusts {@code store}'s
 * certificate and presents it as client certificate, or presents none. With TLS 1.3 the server judges the client's
 * certificate after the client's side of the handshake is done, so the verdict is the first read: a refusal is an
 * alert or end of stream, an accepted connection stays silent until the read times out.
 */
final class EventBusProbe {

  static final String ACCEPTED = "accepted";
  static final String REFUSED = "refused";
  private static final int SILENCE_MS = 1_000;

  private EventBusProbe() {
  }

  static String handshake(String host, int port, Path store, String password, boolean presentCertificate)
    throws IOException, GeneralSecurityException {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, password.toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(presentCertificate ? keys.getKeyManagers() : null, trust.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port)) {
      socket.setSoTimeout(SILENCE_MS);
      socket.startHandshake();
      return socket.getInputStream().read() < 0 ? REFUSED : ACCEPTED;
    } catch (SocketTimeoutException silent) {
      return ACCEPTED;
    } catch (SSLException refused) {
      return REFUSED;
    }
  }
}
