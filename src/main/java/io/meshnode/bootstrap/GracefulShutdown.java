package io.meshnode.bootstrap;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops a node in order, once, from a signal handler or a shutdown hook (never from an event loop: it waits).
 * The deployments are undeployed in reverse plan order — the web and subscription verticles, then the resilience
 * verticle, which unregisters its public consumers and lets in-flight requests finish, then the data verticles,
 * which close their clients and flush the durable queue — bounded by {@link #UNDEPLOY_SECONDS}; then Vert.x is
 * closed, which leaves the cluster.
 */
public final class GracefulShutdown {

  /** The bound on undeploying: the longest operation deadline (30 s) plus closing the clients. */
  public static final long UNDEPLOY_SECONDS = 45;
  /** The bound on closing Vert.x (leaving the cluster). */
  public static final long CLOSE_SECONDS = 15;

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile Vertx vertx;
  private volatile List<String> deployments = List.of();

  /** The Vert.x instance to close, once it exists. */
  public void closing(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The deployment ids in plan order, once deployed. */
  public void undeploying(List<String> deploymentIds) {
    this.deployments = List.copyOf(deploymentIds);
  }

  /** Runs the shutdown the first time; later calls wait for that one to finish. */
  public void run() {
    if (!started.compareAndSet(false, true)) {
      await();
      return;
    }
    try {
      Vertx instance = vertx;
      if (instance != null) {
        stop(instance);
      }
    } finally {
      done.countDown();
    }
  }

  private void stop(Vertx instance) {
    long began = System.nanoTime();
    List<String> ids = deployments;
    LOG.info("shutting down: undeploying {} deployment(s) in reverse order", ids.size());
    try {
      DeploymentPlan.undeployInReverse(instance, ids).await(UNDEPLOY_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown: undeploy did not finish within {} s ({}); closing anyway", UNDEPLOY_SECONDS, e.toString());
    }
    try {
      instance.close().await(CLOSE_SECONDS, TimeUnit.SECONDS);
      LOG.info("mesh node stopped in {} ms", (System.nanoTime() - began) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("shutdown: close did not finish within {} s: {}", CLOSE_SECONDS, e.toString());
    }
  }

  private void await() {
    try {
      done.await(UNDEPLOY_SECONDS + CLOSE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
