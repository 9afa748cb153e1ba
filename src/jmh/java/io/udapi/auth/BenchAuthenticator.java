package io.udapi.auth;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.udapi.config.UdapiConfig;
import io.udapi.registry.Registry;
import io.udapi.secret.LookupTagger;
import io.udapi.secret.SecretDigester;
import io.udapi.secret.SecretHasher;
import io.udapi.secret.VerifiedSecretCache;
import java.lang.reflect.Proxy;
import java.time.Clock;

/**
 * Benchmark support (src/jmh only): the production {@link TokenAuthenticator} built without CDI, with a
 * {@link UdapiConfig} that answers only what the constructor reads (2 Argon2 threads, a queue of 64) and a
 * {@link SimpleMeterRegistry}, so the cache-hit counter is incremented as in production.
 */
public final class BenchAuthenticator {

    private BenchAuthenticator() {
    }

    public static TokenAuthenticator create(Registry registry, SecretDigester digester, LookupTagger tagger,
                                            VerifiedSecretCache cache) {
        return new TokenAuthenticator(registry, digester, tagger, new SecretHasher(), cache, config(), Clock.systemUTC(),
                new SimpleMeterRegistry());
    }

    private static UdapiConfig config() {
        return (UdapiConfig) proxy(UdapiConfig.class);
    }

    /** Nested config groups become proxies too; ints answer the defaults the authenticator needs. */
    private static Object proxy(Class<?> type) {
        return Proxy.newProxyInstance(BenchAuthenticator.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> {
                    Class<?> returned = method.getReturnType();
                    return switch (method.getName()) {
                        case "maxVerifications" -> 2;
                        case "verificationQueue" -> 64;
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        case "toString" -> "BenchConfig";
                        default -> returned.isInterface() ? proxy(returned) : null;
                    };
                });
    }
}
