package io.udapi.registry;

import io.udapi.definition.ApiDefinition;
import io.udapi.store.Store;
import io.udapi.token.ApiToken;
import io.udapi.token.TokenName;
import io.udapi.user.AdminUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This instance's in-memory copy of every token, definition and admin user (docs/architecture.md, "Sync between instances"). The trigger
 * path reads only from here; the management services write the store first and then apply the change
 * here, and the sync loop applies changes made by other instances.
 *
 * <p>Threading: reads are lock-free from any thread, including event loops. Writers are serialised by
 * the monitor of this object so that the token tag index and the definition snapshot never miss an
 * update; each write publishes a new immutable {@link Definitions} snapshot by atomic swap.
 */
@ApplicationScoped
public class Registry {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Registry.class);

    /** Replaced whole by a load (readers never see a half-built index), changed in place by a single change. */
    private volatile Map<String, ApiToken> tokensById = new ConcurrentHashMap<>();
    /** Copy-on-write lists: a tag is shared by very few tokens (32-bit tags). */
    private volatile Map<Integer, List<ApiToken>> tokensByTag = new ConcurrentHashMap<>();
    private volatile Map<String, AdminUser> usersById = new ConcurrentHashMap<>();
    private final AtomicReference<Definitions> definitions = new AtomicReference<>(Definitions.EMPTY);
    private final Event<TokenChanged> tokenChanged;
    private volatile boolean loaded;

    Registry(Event<TokenChanged> tokenChanged) {
        this.tokenChanged = tokenChanged;
    }

    /** Replaces everything with the store's content; readiness waits for the first call. */
    public synchronized void loadFrom(Store store) {
        // definitions are listed, and their route table built, on a second thread while this one lists the
        // tokens: with a remote store the two overlap (the tokens are the bulk); failures surface unchanged
        long t0 = System.nanoTime();
        long[] othersDone = new long[2];
        java.util.concurrent.FutureTask<Definitions> listDefinitions = new java.util.concurrent.FutureTask<>(() -> {
            List<ApiDefinition> listed = store.definitions().list();
            othersDone[0] = System.nanoTime();
            return Definitions.of(listed);
        });
        Thread other = new Thread(listDefinitions, "udapi-load-definitions");
        other.setDaemon(true);
        other.start();
        List<ApiToken> tokens = store.tokens().list();
        long t1 = System.nanoTime();
        Definitions defs = join(listDefinitions);
        long t2 = othersDone[0];
        List<AdminUser> users = store.users().list();
        long t3 = System.nanoTime();
        indexAll(tokens);
        Map<String, AdminUser> loadedUsers = new ConcurrentHashMap<>(users.size() * 2);
        users.forEach(u -> loadedUsers.put(u.id(), u));
        usersById = loadedUsers; // swapped in whole, as the token indexes: a reader never sees the users half loaded
        definitions.set(defs);
        loaded = true;
        LOG.infof("listed %d tokens in %d ms, %d definitions in %d ms (at the same time), then %d users; "
                + "all listed after %d ms; registry built in %d ms", tokens.size(), (t1 - t0) / 1_000_000, defs.size(),
                (t2 - t0) / 1_000_000, users.size(), (t3 - t0) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
    }

    private static <T> T join(java.util.concurrent.FutureTask<T> task) {
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the registry", e);
        }
    }

    public boolean isLoaded() {
        return loaded;
    }

    // ---- tokens

    public Optional<ApiToken> token(String id) {
        return Optional.ofNullable(tokensById.get(id));
    }

    public Collection<ApiToken> tokens() {
        return List.copyOf(tokensById.values());
    }

    public int tokenCount() {
        return tokensById.size();
    }

    /**
     * The tokens whose current or previous secret has lookup tag {@code tag}: the only candidates Argon2 has
     * to try. Which of the two matched is for the caller to tell (and whether the previous one is still live).
     */
    public List<ApiToken> tokensWithTag(int tag) {
        return tokensByTag.getOrDefault(tag, List.of());
    }

    public Optional<ApiToken> tokenNamed(String name) {
        String key = TokenName.key(name);
        return tokensById.values().stream().filter(t -> TokenName.key(t.name()).equals(key)).findFirst();
    }

    public synchronized void putToken(ApiToken token) {
        ApiToken previous = tokensById.get(token.id());
        if (previous != null && (previous.version() > token.version() || previous.equals(token))) {
            return; // a late copy of an older revision must not roll the cache back; an echo changes nothing
        }
        if (previous != null) {
            unindexTag(previous);
        }
        indexToken(token);
        tokenChanged.fire(new TokenChanged(token.id(), previous, token));
    }

    public synchronized void removeToken(String id) {
        ApiToken previous = tokensById.remove(id);
        if (previous != null) {
            unindexTag(previous);
            tokenChanged.fire(new TokenChanged(id, previous, null));
        }
    }

    private void indexToken(ApiToken token) {
        tokensById.put(token.id(), token);
        for (int tag : tags(token)) {
            tokensByTag.compute(tag, (key, list) -> {
                List<ApiToken> next = new ArrayList<>(list == null ? List.of() : list);
                next.removeIf(t -> t.id().equals(token.id()));
                next.add(token);
                return List.copyOf(next);
            });
        }
    }

    /**
     * Replaces both token indexes with new ones built from {@code tokens}, each sized once for all of them.
     * Inserting 100,000 tokens one by one into the live maps resized them again and again and copied a tag
     * list per token: a quarter of a warm load's CPU after the listing (bench/RESULTS.md, "Warm load of
     * 100,000 tokens"). A 32-bit tag is shared by very few tokens, so a tag's list is copied only on a collision.
     */
    private void indexAll(List<ApiToken> tokens) {
        int capacity = tokens.size() * 4 / 3 + 16;
        Map<String, ApiToken> byId = new ConcurrentHashMap<>(capacity);
        Map<Integer, List<ApiToken>> byTag = new ConcurrentHashMap<>(capacity);
        for (ApiToken token : tokens) {
            ApiToken previous = byId.put(token.id(), token);
            if (previous != null) {     // listed twice (a store cannot, ids are unique): the later copy wins
                for (int tag : tags(previous)) {
                    byTag.computeIfPresent(tag, (key, list) -> without(list, previous.id()));
                }
            }
            for (int tag : tags(token)) {
                List<ApiToken> sharing = byTag.putIfAbsent(tag, List.of(token));
                if (sharing != null) {
                    List<ApiToken> next = new ArrayList<>(sharing);
                    next.add(token);
                    byTag.put(tag, List.copyOf(next));
                }
            }
        }
        tokensById = byId;
        tokensByTag = byTag;
    }

    private static List<ApiToken> without(List<ApiToken> list, String id) {
        List<ApiToken> next = new ArrayList<>(list);
        next.removeIf(t -> t.id().equals(id));
        return next.isEmpty() ? null : List.copyOf(next);
    }

    private void unindexTag(ApiToken token) {
        for (int tag : tags(token)) {
            tokensByTag.computeIfPresent(tag, (key, list) -> without(list, token.id()));
        }
    }

    /**
     * The tags a token is found by: its current secret's and, while it holds one, its previous secret's
     * (docs/tokens.md, "Rotation with an overlap"). A previous secret whose overlap has ended stays indexed
     * until the token next changes; readers check {@code PreviousSecret.validAt} with their clock.
     */
    private static int[] tags(ApiToken token) {
        return token.previousSecret() == null ? new int[] {token.lookupTag()}
                : new int[] {token.lookupTag(), token.previousSecret().lookupTag()};
    }

    // ---- definitions

    public Definitions definitions() {
        return definitions.get();
    }

    public synchronized void putDefinition(ApiDefinition definition) {
        update(d -> d.with(definition));
    }

    public synchronized void removeDefinition(String id) {
        update(d -> d.without(id));
    }

    private void update(java.util.function.UnaryOperator<Definitions> change) {
        definitions.set(change.apply(definitions.get()));
    }

    // ---- admin users

    public Optional<AdminUser> user(String id) {
        return Optional.ofNullable(usersById.get(id));
    }

    public Collection<AdminUser> users() {
        return List.copyOf(usersById.values());
    }

    public synchronized void putUser(AdminUser user) {
        AdminUser previous = usersById.get(user.id());
        if (previous == null || !user.isOlderRevisionOf(previous)) {
            usersById.put(user.id(), user);
        }
    }

    public synchronized void removeUser(String id) {
        usersById.remove(id);
    }
}
