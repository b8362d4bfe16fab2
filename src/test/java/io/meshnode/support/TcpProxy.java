package io.meshnode.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a real service (the machine's PostgreSQL), so that a test can make the service unreachable
 * — a dead port, every open connection cut — and bring it back, without touching the service itself.
 */
public final class TcpProxy {

  private final Vertx vertx;
  private final int targetPort;
  private final int port = FreePort.find();
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private NetServer server;

  public TcpProxy(Vertx vertx, int targetPort) {
    this.vertx = vertx;
    this.targetPort = targetPort;
  }

  public int port() {
    return port;
  }

  /** Starts forwarding. */
  public Future<Void> open() {
    server = vertx.createNetServer().connectHandler(this::forward);
    return server.listen(port, "127.0.0.1").mapEmpty();
  }

  /** Stops listening and cuts every connection: the port is dead until {@link #open()}. */
  public Future<Void> cut() {
    sockets.forEach(NetSocket::close);
    sockets.clear();
    return server.close();
  }

  private void forward(NetSocket inbound) {
    inbound.pause();
    sockets.add(inbound);
    vertx.createNetClient().connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        inbound.close();
        return;
      }
      NetSocket outbound = ar.result();
      sockets.add(outbound);
      inbound.handler(outbound::write);
      outbound.handler(inbound::write);
      inbound.closeHandler(v -> outbound.close());
      outbound.closeHandler(v -> inbound.close());
      inbound.resume();
    });
  }
}
