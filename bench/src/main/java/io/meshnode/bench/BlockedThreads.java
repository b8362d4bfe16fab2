package io.meshnode.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/** Counts Vert.x's blocked-thread warnings, so that a scenario can report how many it caused. */
final class BlockedThreads extends AppenderBase<ILoggingEvent> {

  private final AtomicLong count = new AtomicLong();

  /** Attaches a counter to the root logger. */
  static BlockedThreads install() {
    BlockedThreads appender = new BlockedThreads();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(context);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  long count() {
    return count.get();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLoggerName().contains("BlockedThreadChecker")) {
      count.incrementAndGet();
    }
  }
}
