package io.udapi.config;

import io.udapi.secret.LookupTagger;
import io.udapi.os.PrivateFiles;
import io.udapi.secret.SecretDigester;
import io.udapi.secret.SecretGenerator;
import io.udapi.secret.SecretHasher;
import io.udapi.secret.VerifiedSecretCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * Wires the plain-Java secret components. The pepper comes from {@code udapi.secrets.pepper}; with the
 * embedded file store and no pepper, one is generated once into {@code <file-store.dir>/pepper}
 * (mode 600) so that a single machine works without setup. With Elasticsearch the pepper is required,
 * because it must be the same on every instance and must not live in the shared store.
 */
public class SecretBeans {

    private static final Logger LOG = Logger.getLogger(SecretBeans.class);

    @Produces
    @ApplicationScoped
    SecretHasher hasher() {
        return new SecretHasher();
    }

    @Produces
    @ApplicationScoped
    SecretGenerator generator() {
        return new SecretGenerator();
    }

    @Produces
    @ApplicationScoped
    SecretDigester digester() {
        return new SecretDigester();
    }

    @Produces
    @ApplicationScoped
    VerifiedSecretCache verifiedSecrets(UdapiConfig config) {
        return new VerifiedSecretCache(100_000, 100_000, config.secrets().negativeTtl(), System::nanoTime);
    }

    @Produces
    @ApplicationScoped
    LookupTagger tagger(UdapiConfig config) {
        return new LookupTagger(config.secrets().pepper().filter(p -> !p.isBlank()).orElseGet(() -> localPepper(config)));
    }

    private static String localPepper(UdapiConfig config) {
        if (config.store() != UdapiConfig.StoreKind.file) {
            throw new IllegalStateException("udapi.secrets.pepper (UDAPI_SECRETS_PEPPER) is required with udapi.store="
                    + config.store() + ": every instance must use the same pepper, and it must not be kept in the store");
        }
        return localPepper(config.fileStore().dir().resolve("pepper"));
    }

    /** The pepper kept in {@code file}, generated into it on the first start. */
    static String localPepper(Path file) {
        try {
            if (Files.exists(file)) {
                return keptPepper(file);
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String pepper = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            if (!PrivateFiles.createOnce(file, pepper.getBytes(StandardCharsets.US_ASCII))) {
                return keptPepper(file); // another udapi on this directory created it a moment before
            }
            LOG.warnf("no udapi.secrets.pepper set: generated one into %s (fine for one machine; set it explicitly in production)", file);
            return pepper;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the pepper file " + file, e);
        }
    }

    private static String keptPepper(Path file) throws IOException {
        String kept = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (kept.isEmpty()) {
            // udapi creates the file complete or not at all: an empty pepper would weaken every lookup tag
            throw new IllegalStateException("the pepper file " + file + " is empty; restore it, or set "
                    + "udapi.secrets.pepper to the pepper the store's tokens were created with");
        }
        return kept;
    }
}
