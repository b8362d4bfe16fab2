package io.meshnode.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PKCS12 key store with a new self-signed certificate, made by the JDK's {@code keytool} exactly as the README tells
 * operators to make the cluster's certificate. The password reaches keytool through its environment, not its
 * command line.
 */
public final class TestCertificate {

  private static final String PASSWORD_VARIABLE = "MESH_TEST_STORE_PASSWORD";

  private TestCertificate() {
  }

  /** Writes {@code file}: one EC key pair with a certificate for {@code CN=commonName}, protected by {@code password}. */
  public static Path create(Path file, String commonName, String password) {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "mesh-node",
      "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=" + commonName,
      "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass:env", PASSWORD_VARIABLE))
      .redirectErrorStream(true);
    builder.environment().put(PASSWORD_VARIABLE, password);
    try {
      Process keytoolProcess = builder.start();
      String output = new String(keytoolProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!keytoolProcess.waitFor(60, TimeUnit.SECONDS) || keytoolProcess.exitValue() != 0) {
        throw new IllegalStateException("keytool could not create " + file + ": " + output);
      }
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + keytool + " to create a test certificate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + file, e);
    }
  }
}
