package io.meshnode.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a real service (the machine's PostgreSQL), so that a test can make the service unreachable
 * — a dead port, every open connection cut — or frozen — every connection open but silent, new connections accepted
 * and never answered, as when the server process is stopped — and bring it back, without touching the service itself.
 */
public final class TcpProxy {

  private final Vertx vertx;
  private final int targetPort;
  private final int port = FreePort.find();
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final List<NetSocket> held = new ArrayList<>();
  private boolean stalled;
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
    server = vertx.createNetServer().connectHandler(this::accept);
    return server.listen(port, "127.0.0.1").mapEmpty();
  }

  /** Stops listening and cuts every connection: the port is dead until {@link #open()}. */
  public Future<Void> cut() {
    synchronized (held) {
      held.forEach(NetSocket::close);
      held.clear();
      stalled = false;
    }
    sockets.forEach(NetSocket::close);
    sockets.clear();
    return server.close();
  }

  /** Freezes every connection (nothing forwarded either way) and holds new ones unanswered until {@link #resume()}. */
  public void stall() {
    synchronized (held) {
      stalled = true;
      sockets.forEach(NetSocket::pause);
    }
  }

  /** Forwards again what was held by {@link #stall()}, and connects the connections that arrived meanwhile. */
  public void resume() {
    List<NetSocket> waiting;
    synchronized (held) {
      stalled = false;
      sockets.forEach(NetSocket::resume);
      waiting = new ArrayList<>(held);
      held.clear();
    }
    waiting.forEach(this::forward);
  }

  private void accept(NetSocket inbound) {
    inbound.pause();
    synchronized (held) {
      if (stalled) {
        held.add(inbound);
        return;
      }
    }
    forward(inbound);
  }

  private void forward(NetSocket inbound) {
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
      synchronized (held) {
        if (stalled) {
          outbound.pause();
          return;
        }
      }
      inbound.resume();
    });
  }
}
