package io.udapi.manage;

import static io.udapi.manage.AdminApi.ME;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.USERS;
import static io.udapi.manage.AdminApi.as;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createToken;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.etag;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.udapi.secret.VerificationGate;
import io.udapi.user.Permission;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Admin writes run their Argon2 through a bounded gate of their own ({@link WriteArgon2}): while every place of
 * it is taken, a write that hashes answers 503 {@code AuthenticationBusy} with {@code Retry-After: 1} and
 * changes nothing, sign-ins (another gate) still work, and the same write succeeds once the gate is free.
 * Through real HTTP; the gate is filled by the test, so nothing depends on timing.
 */
@QuarkusTest
class WriteArgon2Test {

    @Inject
    WriteArgon2 argon2;

    @Test
    void whileTheWriteGateIsFullWritesThatHashAnswer503AndChangeNothingAndSignInsStillWork() throws Exception {
        String user = createUser(Permission.TOKENS_READ);
        asAdmin().get(ME).then().statusCode(200);
        VerificationGate gate = argon2.gate();
        CountDownLatch release = new CountDownLatch(1);
        List<CompletionStage<Boolean>> holders = new ArrayList<>();
        String name = unique("busy");
        try {
            for (int i = 0; i < gate.maxConcurrent() + gate.maxQueue(); i++) {
                holders.add(gate.submit(() -> awaitQuietly(release), false));
            }
            assertEquals(gate.maxConcurrent(), gate.running(), "every permit is held");
            assertEquals(gate.maxQueue(), gate.queueDepth(), "every queue place is taken");

            problem(createToken(json("name", name)), 503, "AuthenticationBusy", null)
                    .header("Retry-After", "1");
            problem(asAdmin().header("If-Match", etag(1)).body(json("password", "another-password-0123"))
                    .patch(USERS + "/" + user), 503, "AuthenticationBusy", null).header("Retry-After", "1");

            as(user).get(ME).then().statusCode(200); // its first sign-in: Argon2 on the sign-ins' gate
            asAdmin().get(TOKENS).then().statusCode(200).body(not(containsString(name)));
        } finally {
            release.countDown();
        }
        for (CompletionStage<Boolean> holder : holders) {
            assertEquals(true, holder.toCompletableFuture().get(30, TimeUnit.SECONDS));
        }
        as(user).get(ME).then().statusCode(200); // the password was not changed
        createToken(json("name", name)).then().statusCode(201).body("name", equalTo(name));
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
