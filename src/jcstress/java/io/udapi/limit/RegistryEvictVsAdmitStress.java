package io.udapi.limit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Invariant: eviction never loses an admission: after a request was admitted, the registry counts
 * it, whether or not the key's idle limiter was evicted concurrently (mark-dead-then-remove).
 *
 * <p>Limit 1, window 10, an admission at 0; at 10 the key is idle. The request actor is admitted at
 * 10 while the evictor sweeps at 10; the arbiter then asks again at 10, which must be refused
 * because the admission at 10 counts. r1: admitted; r2: limiters evicted; r3: arbiter admitted.
 * FORBIDDEN: the arbiter admitted (the first admission was lost with an evicted limiter, limit
 * exceeded) or the request denied.
 */
@JCStressTest
@Description("Registry eviction races with an admission on the same key")
@Outcome(id = {"1, 0, 0", "1, 1, 0"}, expect = ACCEPTABLE, desc = "admission kept, evicted or not")
@Outcome(id = "1, ., 1", expect = FORBIDDEN, desc = "admission lost: a second one fit in the window")
@Outcome(expect = FORBIDDEN, desc = "the request was denied")
@State
public class RegistryEvictVsAdmitStress {

    private static final String KEY = "token|definition";

    private final RateLimiterRegistry<String> registry = new RateLimiterRegistry<>(() -> 0);

    public RegistryEvictVsAdmitStress() {
        registry.tryAcquire(KEY, 0, 1, 10);
    }

    @Actor
    public void request(III_Result r) {
        r.r1 = registry.tryAcquire(KEY, 10, 1, 10).allowed() ? 1 : 0;
    }

    @Actor
    public void evictor(III_Result r) {
        r.r2 = registry.evictOnce(10);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = registry.tryAcquire(KEY, 10, 1, 10).allowed() ? 1 : 0;
    }
}
