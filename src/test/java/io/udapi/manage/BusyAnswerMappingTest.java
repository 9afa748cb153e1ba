package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md: {@code AuthenticationBusy} carries {@code Retry-After: 1} wherever the REST layer meets it (a
 * leak report whose secrets find the verification pool full, as well as the gate's sign-in), and no other
 * refusal carries one.
 */
class BusyAnswerMappingTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void authenticationBusyThen503WithRetryAfterOneSecond() {
        Response response = mappers.problems(new ProblemException(Problems.of(Reason.AuthenticationBusy, null,
                "too many secrets are being verified; retry in a second")));

        assertEquals(503, response.getStatus());
        assertEquals("1", response.getHeaderString("Retry-After"));
        assertEquals("AuthenticationBusy", ((Map<?, ?>) ((List<?>) ((Map<?, ?>) response.getEntity()).get("errors")).get(0)).get("reason"));
    }

    @Test
    void anotherRefusalCarriesNoRetryAfter() {
        Response response = mappers.problems(new ProblemException(Problems.of(Reason.NotFound, "x", "no such token")));

        assertEquals(404, response.getStatus());
        assertNull(response.getHeaderString("Retry-After"));
    }
}
