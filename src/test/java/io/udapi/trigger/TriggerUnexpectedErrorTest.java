package io.udapi.trigger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.junit.jupiter.api.Test;

/**
 * 500/8 is the answer to a fault of udapi itself (a bug), which no valid or invalid request can cause, so
 * this test injects the fault at the one place the handler reports it: a route of the test application
 * hands a trigger's context to the real {@link TriggerResponses} as the pipeline does when a stage fails. What is
 * checked is the answer a client gets: status, errorCode, envelope and headers, and no detail of the fault.
 */
@QuarkusTest
class TriggerUnexpectedErrorTest {

    /** Test-only route: behaves like the trigger handler after an unexpected exception. */
    @ApplicationScoped
    static class FaultRoute {
        void mount(@Observes Router router, TriggerResponses responses) {
            router.get("/test-only/fault").order(-20).handler(ctx -> {
                TriggerContext trigger = TriggerContext.of(new TriggerRequest(ctx, Vertx.currentContext(),
                        responses.nextRequestId(), System.nanoTime(), ctx.request().method(), ctx.request().path(),
                        "/fault", ctx.request().query(), null));
                responses.reject(trigger.reject(Rejection.UNEXPECTED, "java.lang.IllegalStateException: must never be shown"));
            });
        }
    }

    @Test
    void unexpectedFaultAnswers500WithCode8AndAFixedBodyWithoutDetailsOfTheFault() {
        given().get("/test-only/fault").then()
                .statusCode(500)
                .contentType("application/json")
                .header("X-Request-Id", notNullValue())
                .body("errors", hasSize(1))
                .body("errors[0].errorCode", equalTo(8))
                .body("errors[0].title", equalTo("Unexpected error."))
                .body("errors[0].detail", equalTo(Rejection.UNEXPECTED.fixedDetail()))
                .body("errors[0].faultingNode", equalTo("test-node"));
    }
}
