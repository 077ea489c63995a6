package io.bptemporal.devstack.junit;

/**
 * As {@link DevStackExtension}, with a stack that always requires mutual TLS and authorizes every
 * call with the server's default JWT claim mapper and authorizer ({@code DEVSTACK_TLS} and {@code
 * DEVSTACK_AUTH} on, whatever the environment says):
 * {@code @ExtendWith(SecureDevStackExtension.class)}, then take a {@link
 * io.bptemporal.devstack.StackEndpoints} parameter, whose {@code tls()} and {@code auth()} give the
 * CA and the token issuer. One such stack per test JVM, beside the plain one. Needs the local
 * binaries (scripts/bootstrap); skipped, saying why, without them.
 */
public final class SecureDevStackExtension extends DevStackExtension {
  public SecureDevStackExtension() {
    super(true);
  }
}
