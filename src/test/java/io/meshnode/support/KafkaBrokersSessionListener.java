package io.meshnode.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the test Kafka brokers when the JUnit session closes, so {@code mvn verify} leaves no broker behind. */
public final class KafkaBrokersSessionListener implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    TestKafka.stopAll();
  }
}
