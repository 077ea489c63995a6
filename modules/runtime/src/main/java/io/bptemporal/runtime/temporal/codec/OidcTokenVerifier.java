package io.bptemporal.runtime.temporal.codec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks an access token of the identity provider: a JWS signed with a key of the provider's JWK
 * set, {@code iss} exactly the configured issuer, {@code aud} containing the audience when one is
 * configured, {@code exp} in the future and {@code nbf} past (60 s clock skew), {@code sub} and
 * {@code exp} present, and the required group in {@code groups} when one is configured.
 *
 * <p>The JWK set is fetched on first use and cached (nimbus' defaults: five minutes, refreshed
 * ahead of expiry); a token whose {@code kid} is not in the cached set triggers a refetch, so a key
 * the provider rotates in is picked up at once. Refetches are rate-limited (at most two per 30 s)
 * so a stream of tokens with made-up key ids cannot turn the server into a load on the provider.
 */
final class OidcTokenVerifier {

  /** Generous for a provider in another cluster; nimbus' default of 500 ms is tight. */
  private static final int HTTP_TIMEOUT_MILLIS = (int) Duration.ofSeconds(2).toMillis();

  private static final long CLOCK_SKEW_SECONDS = 60;

  /**
   * The asymmetric families an identity provider publishes in a JWKS. No HMAC: a shared secret
   * cannot come from a public key set, and accepting HS* is how key-confusion attacks start.
   */
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final CodecServerSettings.Oidc settings;

  /** The outcome of one check; {@code reason} is safe to send back (it never holds the token). */
  record Result(Status status, String reason) {
    static final Result OK = new Result(Status.OK, "");
  }

  enum Status {
    OK,
    /** Not a valid token of the provider: 401. */
    INVALID,
    /** Valid, but without the required group: 403. */
    FORBIDDEN,
    /** The provider's keys could not be fetched, so nothing can be verified: 503. */
    KEYS_UNAVAILABLE
  }

  OidcTokenVerifier(CodecServerSettings.Oidc settings) {
    this.settings = settings;
    JWKSource<SecurityContext> keys;
    try {
      keys =
          JWKSourceBuilder.create(
                  settings.jwksUrl().toURL(),
                  new DefaultResourceRetriever(
                      HTTP_TIMEOUT_MILLIS,
                      HTTP_TIMEOUT_MILLIS,
                      JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
              .rateLimited(true)
              .build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(
          "CODEC_SERVER_OIDC_JWKS_URL='" + settings.jwksUrl() + "' is not a URL", e);
    }
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    // Providers type access tokens differently: Keycloak "JWT", RFC 9068 "at+jwt", some none.
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT,
            new JOSEObjectType("at+jwt"),
            new JOSEObjectType("application/at+jwt"),
            null));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            settings.audience().map(Set::of).orElse(null),
            new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
            Set.of("sub", "exp"),
            null);
    claims.setMaxClockSkew((int) CLOCK_SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(claims);
  }

  Result verify(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      return new Result(Status.INVALID, "not a JWT");
    } catch (RateLimitReachedException e) {
      // A third unknown kid within the rate limit's window: the set was refetched moments ago and
      // did not hold the key, so the token is refused rather than the provider blamed.
      return new Result(
          Status.INVALID,
          "no key of the identity provider matches the token's key id (the key set was refetched"
              + " less than 30 s ago)");
    } catch (KeySourceException e) {
      return new Result(
          Status.KEYS_UNAVAILABLE,
          "the identity provider's keys cannot be fetched from CODEC_SERVER_OIDC_JWKS_URL: "
              + e.getMessage());
    } catch (BadJOSEException | JOSEException e) {
      // nimbus' reasons name the claim or the check ("Expired JWT", "JWT iss claim has value …"),
      // never the token itself.
      return new Result(Status.INVALID, e.getMessage());
    }
    if (settings.requiredGroup().isPresent()
        && !groups(claims).contains(settings.requiredGroup().get())) {
      return new Result(
          Status.FORBIDDEN,
          "the token's groups claim does not contain the group "
              + settings.requiredGroup().get()
              + " (CODEC_SERVER_OIDC_REQUIRED_GROUP)");
    }
    return Result.OK;
  }

  /** A string array, as Keycloak's group membership mapper writes it; a lone string counts too. */
  private static Set<String> groups(JWTClaimsSet claims) {
    Object value = claims.getClaim("groups");
    Set<String> groups = new HashSet<>();
    if (value instanceof String single) {
      groups.add(single);
    } else if (value instanceof Collection<?> many) {
      many.stream().filter(String.class::isInstance).map(String.class::cast).forEach(groups::add);
    }
    return groups;
  }

  @Override
  public String toString() {
    return "issuer " + settings.issuer() + ", keys from " + settings.jwksUrl();
  }
}
