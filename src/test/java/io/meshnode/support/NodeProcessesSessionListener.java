package io.meshnode.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Kills the node processes still running when the JUnit session closes, so no test leaves a node behind. */
public final class NodeProcessesSessionListener implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    NodeProcess.killAll();
  }
}
