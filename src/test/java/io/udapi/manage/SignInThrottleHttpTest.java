package io.udapi.manage;

import static io.udapi.manage.AdminApi.ME;
import static io.udapi.manage.AdminApi.USER_PASSWORD;
import static io.udapi.manage.AdminApi.anonymous;
import static io.udapi.manage.AdminApi.as;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.unique;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.udapi.user.Permission;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Online guessing of admin passwords through real HTTP (docs/security.md, "Admin credentials"): with three uncached
 * verifications per name and minute, the fourth wrong password answers 429 {@code TooManyAttempts} with a
 * Retry-After, an unknown name answers exactly like a known one, and a signed-in admin is never slowed.
 */
@QuarkusTest
@TestProfile(SignInThrottleHttpTest.ThreeAttempts.class)
class SignInThrottleHttpTest {

    public static class ThreeAttempts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("udapi.admin.sign-in-attempts", "3");
        }
    }

    @Inject
    AdminAuthenticator authenticator;

    @Test
    void theFourthUncachedPasswordOfANameIn429AndTheSignedInAdminIsUntouched() {
        asAdmin().get(ME).then().statusCode(200); // cached from here on
        // names in windows of their own (the windows come from a random key; two names share one in 4,096)
        Set<Integer> taken = new HashSet<>(Set.of(authenticator.signInWindowOf(AdminApi.ADMIN)));
        String user = createUser(Permission.TOKENS_READ);
        while (!taken.add(authenticator.signInWindowOf(user))) {
            user = createUser(Permission.TOKENS_READ);
        }
        String unknown = unique("nobody");
        while (!taken.add(authenticator.signInWindowOf(unknown))) {
            unknown = unique("nobody");
        }
        for (String name : new String[] {user, unknown}) {
            for (int i = 0; i < 3; i++) {
                problem(as(name, "wrong-password-" + i).get(ME), 401, "Unauthorized", null);
                asAdmin().get(ME).then().statusCode(200);
            }
            Response throttled = as(name, "wrong-password-3").get(ME);
            problem(throttled, 429, "TooManyAttempts", null);
            long retryAfter = Long.parseLong(throttled.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            asAdmin().get(ME).then().statusCode(200);
        }
        // the right password is throttled too while the window is full: that is what stops guessing
        problem(as(user, USER_PASSWORD).get(ME), 429, "TooManyAttempts", null);
        problem(anonymous().get(ME), 401, "Unauthorized", null); // no credentials: nothing to count
    }
}
