package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The stage order is declared once and checked when the pipeline is built (docs/architecture.md). */
class TriggerPipelineTest {

    /** A stage that only has a name and answers what {@code answer} says. */
    private record Named(Name name, Function<TriggerContext, Outcome> answer) implements Stage {
        Named(Name name) {
            this(name, ctx -> ctx);
        }

        @Override
        public Outcome apply(TriggerContext ctx) {
            return answer.apply(ctx);
        }
    }

    private static List<Stage> documented() {
        List<Stage> stages = new ArrayList<>();
        for (Stage.Name name : Stage.Name.values()) {
            if (name != Stage.Name.RESPONSE) {
                stages.add(new Named(name));
            }
        }
        return stages;
    }

    private static TriggerContext context() {
        return TriggerContext.of(new TriggerRequest(null, null, "t-1", 0L, HttpMethod.GET, "/a", "/a", null, null));
    }

    @Test
    void constructorWhenTheDocumentedOrderThenBuiltAndDescribedAsTheDocsWriteIt() {
        TriggerPipeline pipeline = new TriggerPipeline(documented(), null);
        assertEquals("method → URL → auth → route → allow → limit → media → body → parameters → script → response",
                pipeline.describe());
    }

    @Test
    void constructorWhenRouteIsDeclaredBeforeAuthThenRefusedNamingBothOrders() {
        List<Stage> stages = documented();
        stages.set(2, new Named(Stage.Name.ROUTE));
        stages.set(3, new Named(Stage.Name.AUTH));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new TriggerPipeline(stages, null));
        assertTrue(refused.getMessage().contains("declared as method → URL → route → auth"), refused.getMessage());
        assertTrue(refused.getMessage().contains("fixes them as method → URL → auth → route"), refused.getMessage());
    }

    @Test
    void constructorWhenLimitComesBeforeAllowThenRefused() {
        List<Stage> stages = documented();
        stages.set(4, new Named(Stage.Name.LIMIT));
        stages.set(5, new Named(Stage.Name.ALLOW));
        assertThrows(IllegalStateException.class, () -> new TriggerPipeline(stages, null));
    }

    @Test
    void constructorWhenAStageIsMissingOrRepeatedThenRefused() {
        List<Stage> missing = documented();
        missing.remove(6); // media
        assertThrows(IllegalStateException.class, () -> new TriggerPipeline(missing, null));
        List<Stage> repeated = documented();
        repeated.add(3, new Named(Stage.Name.AUTH));
        assertThrows(IllegalStateException.class, () -> new TriggerPipeline(repeated, null));
        List<Stage> withResponse = documented();
        withResponse.add(new Named(Stage.Name.RESPONSE)); // the response stage is the pipeline's own end
        assertThrows(IllegalStateException.class, () -> new TriggerPipeline(withResponse, null));
    }

    @Test
    void runUntilWhenAStageRefusesThenNoLaterStageRunsAndTheRefusalIsTheOutcome() {
        List<Stage.Name> ran = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        for (Stage stage : documented()) {
            stages.add(new Named(stage.name(), ctx -> {
                ran.add(stage.name());
                return stage.name() == Stage.Name.ROUTE ? ctx.reject(Rejection.ROUTE_NOT_FOUND) : ctx.next();
            }));
        }
        Outcome outcome = new TriggerPipeline(stages, null).runUntil(context(), Stage.Name.MEDIA);
        assertEquals(Arrays.asList(Stage.Name.METHOD, Stage.Name.URL, Stage.Name.AUTH, Stage.Name.ROUTE), ran);
        assertSame(Rejection.ROUTE_NOT_FOUND, ((Outcome.Reject) outcome).rejection());
    }
}
