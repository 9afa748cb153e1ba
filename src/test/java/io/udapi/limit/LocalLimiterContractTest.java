package io.udapi.limit;

/** The {@link Limiter} contract on this instance's rings. */
class LocalLimiterContractTest extends AbstractLimiterContractTest {

    private final RateLimiterRegistry<LimiterKey> registry = new RateLimiterRegistry<>(clock);

    @Override
    protected Limiter limiter() {
        return new LocalLimiter(registry);
    }

    @Override
    protected long resolution() {
        return 1;
    }
}
